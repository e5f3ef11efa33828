section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section list-after-boot ndctl list -N
section devdax ndctl create-namespace -f -e namespace0.0 -m devdax
section list-devdax ndctl list -N
section list-devdax-X ndctl list -NX
