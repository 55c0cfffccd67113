#!/bin/sh
# Fails when clang-format (Debian's, style in .clang-format) would change any C++ file of the tree.
# Fix with: clang-format -i $(git ls-files '*.cpp' '*.h')
set -eu
cd "$1"
files=$(find sim models rtl app tests -name '*.cpp' -o -name '*.h' | grep -v '/build/' | sort)
if clang-format --dry-run --Werror $files; then
  echo "every C++ file is formatted"
else
  echo "run: clang-format -i <the files above>" >&2
  exit 1
fi
