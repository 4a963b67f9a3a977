# salestrail build configuration: override on the command line or here.
VERSION = 0.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/salestrail
SCRIPTDIR = $(SHAREDIR)/scripts
LOCALEDIR = $(PREFIX)/share/locale
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

CC = cc
AR = ar
CFLAGS = -O2 -g
LDFLAGS =
WARN = -std=c11 -Wall -Wextra -Werror -Wformat=2 -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
	-Wpointer-arith -Wvla -Wimplicit-fallthrough
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Libraries found with pkg-config; libcsv ships no .pc file.
PKGS = sqlite3 jansson zlib expat minizip libutf8proc libcrypto freexl \
	libhs opencc pangocairo libgsf-1
