section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
ndctl disable-region all >/dev/null 2>&1; ndctl init-labels all >/dev/null 2>&1; ndctl enable-region all >/dev/null 2>&1
ndctl create-namespace -m raw -s 32M -n a >/dev/null
ndctl create-namespace -m raw -s 32M -n b >/dev/null
section t1 sh -c "ndctl disable-region region0; ndctl enable-region region0; ndctl list -Ni | grep dev"
ndctl create-namespace -m raw -s 32M -n c >/dev/null
section t2 sh -c "ndctl disable-region region0; ndctl enable-region region0; ndctl list -Ni | grep dev"
ndctl destroy-namespace -f namespace0.1 >/dev/null 2>&1
section t3 sh -c "ndctl list -Ni | grep dev; ndctl disable-region region0; ndctl enable-region region0; ndctl list -Ni | grep dev"
ndctl create-namespace -m raw -s 32M -n d >/dev/null
section t4 sh -c "ndctl list -Ni | grep dev; ndctl disable-region region0; ndctl enable-region region0; ndctl list -Ni | grep dev"
