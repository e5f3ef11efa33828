section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section create-fsdax ndctl create-namespace -m fsdax
section create-plain ndctl create-namespace
section list ndctl list -N
section sector512 ndctl create-namespace -f -e namespace0.0 -m sector -l 512
section fsdax-mem ndctl create-namespace -f -e namespace0.0 -m fsdax -M mem
section raw ndctl create-namespace -f -e namespace0.0 -m raw
section raw-again ndctl create-namespace -f -e namespace0.0 -m raw
section name ndctl create-namespace -f -e namespace0.0 -m devdax -n foo
section uuid ndctl create-namespace -f -e namespace0.0 -m fsdax -u 11111111-2222-3333-4444-555555555555
section destroy ndctl destroy-namespace -f namespace0.0
section list-end ndctl list -N
