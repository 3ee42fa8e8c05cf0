/*
 * ports_probe: find the programmers among the serial ports (ports_probe.h).
 */
#include "prog/ports_probe.h"
#include "serprog.h"
#include "prog/dev.h"
#include "transport/link.h"
#include "transport/lock.h"
#include "transport/ports.h"

#include <stdlib.h>
#include <string.h>

#define SERPROG_ACK 0x06
#define SERPROG_PROBE_MS 300

struct collect {
	struct ports_set *s;
	unsigned cap;
	int err;
};

static struct ports_entry *add(struct collect *c)
{
	struct ports_entry *e;

	if (c->s->n == c->cap) {
		unsigned cap = c->cap ? c->cap * 2 : 8;
		struct ports_entry *n = realloc(c->s->e, cap * sizeof(*n));

		if (!n) {
			c->err = PORTS_E_NOMEM;
			return NULL;
		}
		c->s->e = n;
		c->cap = cap;
	}
	e = &c->s->e[c->s->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

static void add_listed(void *arg, const struct link_port_info *p)
{
	struct ports_entry *e = add(arg);

	if (!e)
		return;
	snprintf(e->name, sizeof(e->name), "%s", p->name);
	e->usb = p->usb;
	e->vid = p->vid;
	e->pid = p->pid;
	if (p->usb)
		snprintf(e->description, sizeof(e->description), "%s%s%s",
			 p->manufacturer ? p->manufacturer : "", p->manufacturer ? " " : "",
			 p->product ? p->product : (p->description ? p->description : ""));
	else
		snprintf(e->description, sizeof(e->description), "%s",
			 p->description ? p->description : "");
	e->guess = p->usb ? ports_guess(p->vid, p->pid) : NULL;
}

int ports_collect(struct ports_set *s, const char *list)
{
	struct collect c = { s, 0, 0 };
	int n;

	s->e = NULL;
	s->n = 0;
	if (list) {
		const char *p = list;

		while (*p) {
			size_t l = strcspn(p, ":");
			struct ports_entry *e;

			if (l && l < sizeof(e->name)) {
				e = add(&c);
				if (!e)
					break;
				memcpy(e->name, p, l);
				e->name[l] = '\0';
				snprintf(e->description, sizeof(e->description), "from SPIFLASH_PORTS");
			}
			p += l + (p[l] == ':');
		}
		return c.err;
	}
	n = link_list_ports(add_listed, &c);
	if (n < 0)
		return PORTS_E_LIST;
	return c.err;
}

void ports_free(struct ports_set *s)
{
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

/* serprog: SYNCNOP is answered NAK then ACK by every serprog programmer
 * (serprog-protocol.txt), whatever state its command parser is in. */
static int serprog_answers(struct link *l)
{
	uint8_t cmd = SERPROG_CMD_SYNCNOP, in[8];
	size_t got = 0;
	int n;

	l->ops->flush_input(l->ctx);
	if (l->ops->write(l->ctx, &cmd, 1, SERPROG_PROBE_MS) < 0)
		return 0;
	while (got < sizeof(in)) {
		n = l->ops->read(l->ctx, in + got, sizeof(in) - got, SERPROG_PROBE_MS);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(in, SERPROG_NAK, got) && memchr(in, SERPROG_ACK, got))
			return 1;
	}
	return 0;
}

enum ports_kind ports_probe(const char *path, char *board)
{
	struct lock lk = { -1 };
	struct link l;
	struct dev d;
	enum ports_kind k;
	char msg[200];

	board[0] = '\0';
	if (lock_take(&lk, path, msg, sizeof(msg)))
		return PORTS_BUSY;
	memset(&l, 0, sizeof(l));
	if (link_open(&l, path, DEV_BOOT_BAUD, 0)) {
		lock_release(&lk);
		return PORTS_NOOPEN;
	}
	memset(&d, 0, sizeof(d));
	if (!dev_open(&d, &l, DEV_STARTUP_MS)) {
		snprintf(board, 17, "%s", d.hello.board);
		dev_close(&d);
		k = PORTS_SPIFLASH;
	} else {
		k = serprog_answers(&l) ? PORTS_SERPROG : PORTS_NOTHING;
	}
	link_close(&l);
	lock_release(&lk);
	return k;
}

void ports_probe_all(struct ports_set *s, int explicit_list)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (explicit_list || s->e[i].usb)
			s->e[i].kind = ports_probe(s->e[i].name, s->e[i].board);
}

int ports_pick(const struct ports_set *s, char *dev, size_t devlen, char *msg, size_t msglen)
{
	unsigned i, found = 0, probed = 0;
	size_t o = 0;

	for (i = 0; i < s->n; i++) {
		probed += s->e[i].kind != PORTS_UNPROBED;
		if (s->e[i].kind == PORTS_SPIFLASH || s->e[i].kind == PORTS_SERPROG) {
			if (!found++)
				snprintf(dev, devlen, "%s", s->e[i].name);
		}
	}
	if (found == 1)
		return 0;
	if (!s->n) {
		snprintf(msg, msglen, "no serial port found: plug the programmer in, or give -d PORT");
		return PORTS_E_NONE;
	}
	if (!found) {
		o += (size_t)snprintf(msg, msglen, "no programmer answers on %s%u port%s",
				      probed ? "any of the " : "", probed, probed == 1 ? "" : "s");
		for (i = 0; i < s->n && o < msglen; i++)
			if (s->e[i].kind != PORTS_UNPROBED)
				o += (size_t)snprintf(msg + o, msglen - o, "%s %s (%s)", i ? "," : ":",
						      s->e[i].name, ports_kind_name(s->e[i].kind));
		if (o < msglen)
			snprintf(msg + o, msglen - o, "; plug the programmer in, or give -d PORT");
		return PORTS_E_NONE;
	}
	o += (size_t)snprintf(msg, msglen, "%u programmers answer; choose one with -d:", found);
	for (i = 0; i < s->n && o < msglen; i++)
		if (s->e[i].kind == PORTS_SPIFLASH || s->e[i].kind == PORTS_SERPROG)
			o += (size_t)snprintf(msg + o, msglen - o, " %s (%s)", s->e[i].name,
					      ports_kind_name(s->e[i].kind));
	return PORTS_E_MANY;
}

const char *ports_kind_name(enum ports_kind k)
{
	switch (k) {
	case PORTS_NOTHING:  return "no programmer";
	case PORTS_SPIFLASH: return "spiflash";
	case PORTS_SERPROG:  return "serprog";
	case PORTS_BUSY:     return "busy: another spiflash has it";
	case PORTS_NOOPEN:   return "cannot open";
	default:             return "not probed";
	}
}

int ports_find_one(const char *list, char *dev, size_t devlen, char *msg, size_t msglen)
{
	struct ports_set s;
	int err = ports_collect(&s, list);

	if (err) {
		snprintf(msg, msglen, "cannot list serial ports: give -d PORT");
	} else {
		ports_probe_all(&s, list != NULL);
		err = ports_pick(&s, dev, devlen, msg, msglen);
	}
	ports_free(&s);
	return err;
}
