#!/usr/bin/env bash
# Installs what the tests need (Debian packages, where missing) and runs every test.
# Set VNVDIMM_SKIP_EXTERNAL=1 to skip, locally, the tests that need qemu-system-x86_64, iasl or the Linux guest.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
command -v iasl >/dev/null 2>&1 || need+=(acpica-tools)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
# The Linux interop tests boot Debian's kernel with busybox, ndctl and the NVDIMM modules.
ls /boot/vmlinuz-*-amd64 >/dev/null 2>&1 || need+=(linux-image-amd64)
command -v ndctl >/dev/null 2>&1 || need+=(ndctl)
[ -x /bin/busybox ] || need+=(busybox-static)
# The real-DAX test makes an ext4 file system inside the guest.
command -v mke2fs >/dev/null 2>&1 || [ -x /usr/sbin/mke2fs ] || [ -x /sbin/mke2fs ] || need+=(e2fsprogs)
if [ "${VNVDIMM_SKIP_EXTERNAL:-0}" != 1 ] && [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet build vnvdimm.slnx -c Release -warnaserror -nologo -v q || exit 1
# The start-up goal rests on the Native AOT publish: it must stay warning-free and boot the demo.
dotnet publish src/Vnvdimm.Cli -c Release -r linux-x64 -p:PublishAot=true -warnaserror -nologo -v q -o artifacts/vnvdimm || exit 1
smoke=$(mktemp -d)
aot="$PWD/artifacts/vnvdimm/vnvdimm"
listed=$(cd "$smoke" && echo "ndctl list -D" | "$aot") || { echo "AOT smoke run of the demo machine failed"; exit 1; }
grep -q '"dev":"nmem0"' <<<"$listed" || { echo "AOT demo machine listed no nmem0: $listed"; exit 1; }
rm -rf "$smoke"
dotnet test tests/Vnvdimm.Tests/Vnvdimm.Tests.csproj -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# One plain summary line for CI: "N passed, N failed" (dotnet's own summary is not read there).
summary=$(grep -E '(Passed|Failed)!\s+-\s+Failed:' "$log" | tail -1 || true)
if [ -z "$summary" ]; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
failed=$(sed -E 's/.*Failed:\s*([0-9]+).*/\1/' <<<"$summary")
passed=$(sed -E 's/.*Passed:\s*([0-9]+).*/\1/' <<<"$summary")
skipped=$(sed -E 's/.*Skipped:\s*([0-9]+).*/\1/' <<<"$summary")
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
