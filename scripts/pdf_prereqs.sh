#!/usr/bin/env bash
# What the PDF reports (WeasyPrint) need besides Python: Pango for text layout and Debian's DejaVu fonts.
# Installs only what is missing (a dpkg query when everything is there, no network). A piece that cannot be
# installed is reported; rendering a PDF then fails with WeasyPrint's message, the rest of the portal works.
set -uo pipefail

# poppler-utils: pdftoppm draws the first page of a report as a PNG for the screenshots of `make test`.
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@"
  else return 1
  fi
}

echo "pdf: installing ${missing[*]} (apt-get install)"
if ! command -v apt-get >/dev/null \
   || ! (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"); then
  echo "pdf: could not install ${missing[*]}; PDF reports need Pango and a font (apt-get install ${missing[*]})" >&2
fi
exit 0
