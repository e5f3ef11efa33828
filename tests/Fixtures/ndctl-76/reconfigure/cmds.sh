MODES="devdax fsdax sector raw"
U=11111111-2222-3333-4444-555555555555
step() { echo "===STEP $1==="; }
show() {
  echo "===LIST-Nu==="; ndctl list -Nu 2>&1
  echo "===LIST-Ni==="; ndctl list -Ni 2>&1
  echo "===LIST-Ni-pipe==="; ndctl list -Ni 2>&1 | cat
  echo "===READLABELS==="; ndctl read-labels -j nmem0 2>&1
  echo "===RC $?==="
}
step init
ndctl disable-region all 2>&1
ndctl init-labels -f all 2>&1
ndctl enable-region all 2>&1
step create-raw
ndctl create-namespace -r region0 -m raw -s 64M -u $U 2>&1; echo "rc=$?"
ndctl create-namespace -r region0 -m raw -s 64M -u $U 2>&1 | cat; echo "rc-pipe"
show
step noforce
ndctl create-namespace -e namespace0.0 -m devdax 2>&1; echo "rc=$?"
ndctl create-namespace -e namespace0.0 -m fsdax 2>&1; echo "rc=$?"
for m in $MODES; do
  step "to-$m"
  ndctl create-namespace -f -e namespace0.0 -m $m 2>&1; echo "rc=$?"
  show
  if [ $m = devdax ]; then
    echo "===LIST-N-X==="; ndctl list -N -X 2>&1
    echo "===LIST-NXu==="; ndctl list -NXu 2>&1
    echo "===LIST-X==="; ndctl list -X 2>&1
    echo "===LIST-X-pipe==="; ndctl list -X 2>&1 | cat
    echo "===LIST-NX-pipe==="; ndctl list -NX 2>&1 | cat
  fi
done
step caps
echo "===LIST-C==="; ndctl list -C 2>&1
echo "===LIST-RC==="; ndctl list -RC 2>&1
echo "===LIST-BC==="; ndctl list -BC 2>&1
echo "===LIST-C-pipe==="; ndctl list -C 2>&1 | cat
echo "===LIST-RCu-pipe==="; ndctl list -RCu 2>&1 | cat
sync
echo "===FINALDONE==="
