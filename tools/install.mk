# make install / make uninstall: the client, its man page and its bash
# completion, under $(DESTDIR)$(PREFIX) (GNU conventions, so packagers can
# stage into DESTDIR).  The firmware is not installed: it goes onto the
# board with `make upload`.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# bash-completion's own directory when it is installed; else the XDG place
# bash-completion also searches
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

.PHONY: install uninstall
install: $(BUILD)/spiflash
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(BUILD)/spiflash $(DESTDIR)$(BINDIR)/spiflash
	$(INSTALL) -m 644 docs/spiflash.1 $(DESTDIR)$(MANDIR)/man1/spiflash.1
	$(INSTALL) -m 644 contrib/bash-completion/spiflash $(DESTDIR)$(BASHCOMPDIR)/spiflash

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/spiflash $(DESTDIR)$(MANDIR)/man1/spiflash.1 \
		$(DESTDIR)$(BASHCOMPDIR)/spiflash

# Every board builds with `make all`, and prints its size (firmware.mk).
all: firmware-boards

