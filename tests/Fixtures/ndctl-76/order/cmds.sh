ndctl disable-region all >/dev/null 2>&1
ndctl init-labels -f all 2>&1
ndctl enable-region all 2>&1
for i in 1 2 3 4 5 6; do ndctl create-namespace -r region0 -m raw -s 16M >/dev/null 2>&1; echo "rc=$?"; done
echo "===LIST6==="; ndctl list -N 2>&1
echo "===LIST6-pipe==="; ndctl list -N 2>&1 | cat
echo "===LS==="; ls /sys/bus/nd/devices/region0/
for i in 1 2 3 4 5 6; do ndctl create-namespace -r region0 -m raw -s 16M >/dev/null 2>&1; echo "rc=$?"; done
echo "===LIST12==="; ndctl list -N 2>&1 | cat
echo "===LIST12-R==="; ndctl list -RN 2>&1 | cat
echo "===LS==="; ls /sys/bus/nd/devices/region0/
