section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section list-after-boot ndctl list -N
section sector ndctl create-namespace -f -e namespace0.0 -m sector
section list-sector ndctl list -N
