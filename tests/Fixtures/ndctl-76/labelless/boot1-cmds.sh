section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section list ndctl list -N
section fsdax ndctl create-namespace -f -e namespace0.0 -m fsdax
section list-fsdax ndctl list -N
section list-fsdax-u ndctl list -Nu
section list-fsdax-v ndctl list -Nv
