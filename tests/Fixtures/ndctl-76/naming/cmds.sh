section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
ndctl disable-region all >/dev/null 2>&1; ndctl init-labels all >/dev/null 2>&1; ndctl enable-region all >/dev/null 2>&1
section c1 ndctl create-namespace -m raw -s 32M -n a
section c2 ndctl create-namespace -m raw -s 32M -n b
section c3 ndctl create-namespace -m raw -s 32M -n c
section l1 ndctl list -Ni
section d1 ndctl destroy-namespace -f namespace0.1
section l2 ndctl list -Ni
section c4 ndctl create-namespace -m raw -s 32M -n d
section l3 ndctl list -Ni
section d0 ndctl destroy-namespace -f namespace0.0
section l4 ndctl list -Ni
section c5 ndctl create-namespace -m raw -s 32M -n e
section l5 ndctl list -Ni
section c6 ndctl create-namespace -m raw -s 32M -n f
section l6 ndctl list -Ni
section r1 ndctl create-namespace -f -e namespace0.2 -m fsdax
section l7 ndctl list -Ni
section rd ndctl disable-region region0
section re ndctl enable-region region0
section l8 ndctl list -Ni
