/* buf.c — a growable byte buffer, written out whole. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdb/buf.h"

void
pdb_buf_free(struct pdb_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

char *
pdb_buf_reserve(struct pdb_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return NULL;
	if (b->cap - b->len >= n)
		return b->data + b->len;
	for (cap = b->cap ? b->cap : 256; cap - b->len < n; cap *= 2)
		if (cap > SIZE_MAX / 2)
			goto fail;
	if ((p = realloc(b->data, cap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return p + b->len;
fail:
	b->oom = 1;
	return NULL;
}

void
pdb_buf_put(struct pdb_buf *b, const void *s, size_t n)
{
	char *p = pdb_buf_reserve(b, n);

	if (p != NULL && n > 0) {
		memcpy(p, s, n);
		b->len += n;
	}
}

void
pdb_buf_puts(struct pdb_buf *b, const char *s)
{
	pdb_buf_put(b, s, strlen(s));
}

void
pdb_buf_putc(struct pdb_buf *b, char c)
{
	char *p = pdb_buf_reserve(b, 1);

	if (p != NULL) {
		*p = c;
		b->len++;
	}
}

void
pdb_buf_put_uint(struct pdb_buf *b, uint64_t v, int width)
{
	char t[24];
	int n = 0;
	char *p;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n < width && n < (int)sizeof(t))
		t[n++] = '0';
	if ((p = pdb_buf_reserve(b, (size_t)n)) == NULL)
		return;
	b->len += (size_t)n;
	while (n > 0)
		*p++ = t[--n];
}

/* The length of the valid UTF-8 sequence at u (of n bytes), or 0. */
static size_t
utf8_length(const unsigned char *u, size_t n)
{
	size_t len = u[0] >= 0xF0 && u[0] <= 0xF4 ? 4 : u[0] >= 0xE0 ? 3 :
	    u[0] >= 0xC2 && u[0] <= 0xDF ? 2 : 0;
	size_t i;

	if (len == 0 || len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((u[i] & 0xC0) != 0x80)
			return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if ((u[0] == 0xE0 && u[1] < 0xA0) || (u[0] == 0xED && u[1] >= 0xA0) ||
	    (u[0] == 0xF0 && u[1] < 0x90) || (u[0] == 0xF4 && u[1] >= 0x90))
		return 0;
	return len;
}

void
pdb_buf_put_json_string(struct pdb_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";	/* as Jansson */
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run = 0, len;

	pdb_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (u[i] >= 0x80) {
			/* Valid UTF-8 goes as it is; a stray byte (a message
			 * quoting cut input) becomes U+FFFD, so the JSON stays
			 * valid. */
			if ((len = utf8_length(u + i, n - i)) > 0) {
				i += len - 1;
				continue;
			}
			pdb_buf_put(b, s + run, i - run);
			run = i + 1;
			pdb_buf_puts(b, "\\uFFFD");
			continue;
		}
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\')
			continue;
		pdb_buf_put(b, s + run, i - run);
		run = i + 1;
		pdb_buf_putc(b, '\\');
		switch (u[i]) {
		case '"': pdb_buf_putc(b, '"'); break;
		case '\\': pdb_buf_putc(b, '\\'); break;
		case '\n': pdb_buf_putc(b, 'n'); break;
		case '\r': pdb_buf_putc(b, 'r'); break;
		case '\t': pdb_buf_putc(b, 't'); break;
		case '\b': pdb_buf_putc(b, 'b'); break;
		case '\f': pdb_buf_putc(b, 'f'); break;
		default:
			pdb_buf_puts(b, "u00");
			pdb_buf_putc(b, hex[u[i] >> 4]);
			pdb_buf_putc(b, hex[u[i] & 15]);
		}
	}
	pdb_buf_put(b, s + run, n - run);
	pdb_buf_putc(b, '"');
}

int
pdb_buf_write(const struct pdb_buf *b, int fd, size_t *written)
{
	size_t done = 0;
	ssize_t n;

	if (written != NULL)
		*written = 0;
	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	while (done < b->len) {
		if ((n = write(fd, b->data + done, b->len - done)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		done += (size_t)n;
	}
	if (written != NULL)
		*written = done;
	return done == b->len ? 0 : -1;
}
