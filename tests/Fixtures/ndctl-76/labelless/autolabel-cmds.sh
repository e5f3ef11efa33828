section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section list ndctl list -RN
section noauto ndctl create-namespace -f -e namespace0.0 -m fsdax --no-autolabel
section list2 ndctl list -RN
section auto ndctl create-namespace -f -e namespace0.0 -m devdax
section list3 ndctl list -RNu
section labels ndctl read-labels -j nmem0
