#!/bin/sh
# Make sure the fonts the printed certificate uses for scripts the bundled DejaVu font lacks
# are installed: Debian's fonts-noto-core (Thai, Khmer, Lao, Myanmar) and fonts-noto-cjk
# (Chinese, Japanese, Korean). src/originlink/formats/pdf/fonts.py looks for them at the paths
# these packages install; ORIGINLINK_PDF_FONTS or --font adds others.
#
# When a font file is missing and this runs as root on a system with apt-get, it installs the
# packages non-interactively, saying what it does. Otherwise it only says why it does nothing:
# rendering a name in those scripts then fails with the characters named (or prints U+FFFD
# with --allow-missing-glyphs). Never fails the build by itself.
set -u

noto=/usr/share/fonts/truetype/noto
cjk=/usr/share/fonts/opentype/noto
missing=""
for file in "$noto/NotoSansThai-Regular.ttf" "$noto/NotoSansKhmer-Regular.ttf" \
    "$noto/NotoSansLao-Regular.ttf" "$noto/NotoSansMyanmar-Regular.ttf"; do
    [ -f "$file" ] || missing="$missing fonts-noto-core"
done
[ -f "$cjk/NotoSansCJK-Regular.ttc" ] || missing="$missing fonts-noto-cjk"
packages=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/^ *//; s/ *$//')
if [ -z "$packages" ]; then
    echo "ensure-fonts: the Noto fonts for Thai, Khmer, Lao, Myanmar and CJK are present"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure-fonts: missing $packages and this is not root: install them (apt-get install $packages)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-fonts: missing $packages and apt-get is not available"
    exit 0
fi
echo "ensure-fonts: installing Debian's $packages (apt-get update; apt-get install $packages)"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086  # the package list is meant to split into words
if apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null; then
    echo "ensure-fonts: installed $packages"
else
    echo "ensure-fonts: installing $packages failed: names in those scripts cannot be printed"
fi
exit 0
