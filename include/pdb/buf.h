/*
 * buf.h — a growable byte buffer: output is built in memory, then written
 * whole, so a caller knows exactly what reached its destination (a
 * checkpoint never covers a record that was not written) and a failed
 * response leaves nothing half-printed.
 *
 * The buffer owns its bytes; pdb_buf_free releases them.  Appending never
 * fails: on allocation failure the buffer remembers it (oom) and drops the
 * bytes, and pdb_buf_write reports ENOMEM.
 */
#ifndef PDB_BUF_H
#define PDB_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pdb_buf {
	char *data;
	size_t len, cap;
	int oom;
};

void pdb_buf_free(struct pdb_buf *b);
/* Room for n more bytes; a pointer to them, or NULL when out of memory.
 * The caller then adds what it wrote with pdb_buf_commit. */
char *pdb_buf_reserve(struct pdb_buf *b, size_t n);
void pdb_buf_put(struct pdb_buf *b, const void *s, size_t n);
void pdb_buf_puts(struct pdb_buf *b, const char *s);
void pdb_buf_putc(struct pdb_buf *b, char c);
/* Decimal, zero-padded to width digits (0: as many as needed). */
void pdb_buf_put_uint(struct pdb_buf *b, uint64_t v, int width);
/* s as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD. */
void pdb_buf_put_json_string(struct pdb_buf *b, const char *s, size_t n);

/*
 * Write the bytes of b to fd, all of them or until an error; *written (if
 * not NULL) gets how many reached fd.  0, or -1 with errno set (ENOMEM
 * when an append had failed).  The buffer is left as it was.
 */
int pdb_buf_write(const struct pdb_buf *b, int fd, size_t *written);

#endif
