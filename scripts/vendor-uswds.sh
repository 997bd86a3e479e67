#!/usr/bin/env bash
# Re-vendor the U.S. Web Design System from the npm registry at a pinned version.
# Only the compiled files the portal loads (and the fonts/images its CSS references) are copied.
set -euo pipefail
VERSION=${1:-3.14.0}
dest="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/uswds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "@uswds/uswds@${VERSION}" --silent >/dev/null && tar xzf ./*.tgz)
dist="$work/package/dist"
rm -rf "$dest" && mkdir -p "$dest/css" "$dest/js" "$dest/img"
cp "$dist"/css/uswds.min.css "$dist"/css/uswds.min.css.map "$dest/css/"
cp "$dist"/js/uswds.min.js "$dist"/js/uswds.min.js.map "$dist"/js/uswds-init.min.js \
   "$dist"/js/uswds-init.min.js.map "$dest/js/"
cp "$dist/img/sprite.svg" "$dest/img/"
# Every url(...) the stylesheet references must exist, or the manifest storage refuses to build.
grep -o 'url([^)]*)' "$dist/css/uswds.min.css" | sed 's/url(//;s/)//;s/"//g' | sort -u | grep '^\.\./' |
  while read -r ref; do
    rel=${ref#../}
    mkdir -p "$dest/$(dirname "$rel")"
    cp "$dist/$rel" "$dest/$rel"
  done
echo "@uswds/uswds ${VERSION}" > "$dest/VERSION"
du -sh "$dest"
