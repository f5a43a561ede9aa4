/*
 * io.c - whole-file reading and atomic writing.
 *
 * Output files and in-place rewrites are written to a temporary file in the
 * same directory and renamed into place only after every byte was written and
 * synced, so that nothing the user owns is lost when something fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cvb_int.h"

/* A regular file of known size: read straight into a buffer of that size
 * (no copying through a growing buffer).  1 when done, 0 to fall back. */
static int
read_sized(FILE *f, struct cvb_buf *b)
{
	struct stat st;
	size_t n;

	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size >= SIZE_MAX / 2)
		return 0;
	cvb_buf_grow(b, (size_t)st.st_size + 1);	/* +1: see that the end is reached */
	if (b->err)
		return 0;
	while ((n = fread(b->buf + b->len, 1, b->alloc - b->len - 1, f)) > 0) {
		b->len += n;
		b->buf[b->len] = '\0';
		if (b->len == b->alloc - 1)
			break;	/* the file grew: read the rest in chunks */
	}
	return 1;
}

int
cvb_read_all(const char *path, char **data, size_t *len, struct cvbib_diags *d)
{
	FILE *f;
	struct cvb_buf b = CVB_BUF_INIT;
	char chunk[65536];
	size_t n;
	bool is_stdin = strcmp(path, "-") == 0;

	f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		return -CVBIB_EIO;
	}
	read_sized(f, &b);
	while (!ferror(f) && !feof(f) && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cvb_buf_add(&b, chunk, n);
	if (ferror(f)) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot read: %s", strerror(errno));
		if (!is_stdin)
			fclose(f);
		cvbib_buf_release(&b);
		return -CVBIB_EIO;
	}
	if (!is_stdin)
		fclose(f);
	if (b.err) {
		cvb_diag(d, CVB_D_NOMEM, path, 0, 0, NULL);
		cvbib_buf_release(&b);
		return -CVBIB_ENOMEM;
	}
	*data = cvbib_buf_detach(&b, len);
	return *data ? 0 : -CVBIB_ENOMEM;
}

/*
 * A file written through a temporary file beside it.  Errors are kept and
 * reported by cvbib_atomic_commit(), after whatever the writer reported, so
 * that a failing output reads the same whether it was streamed or not.
 */
struct cvbib_atomic {
	char	*path, *tmp;
	int	 fd;		/* -1 when the temporary file could not be made */
	int	 err;		/* errno of the first failure */
	const char *what;	/* what failed: "create", "write" */
	bool	 have_old;
	mode_t	 mode;
};

int
cvbib_atomic_open(cvbib_atomic **ap, const char *path)
{
	cvbib_atomic *a = calloc(1, sizeof(*a));
	struct cvb_buf tmp = CVB_BUF_INIT;
	struct stat st;

	*ap = NULL;
	if (a == NULL)
		return -CVBIB_ENOMEM;
	cvb_buf_addf(&tmp, "%s.cvbib-XXXXXX", path);
	a->path = strdup(path);
	if (tmp.err || a->path == NULL) {
		cvbib_buf_release(&tmp);
		free(a->path);
		free(a);
		return -CVBIB_ENOMEM;
	}
	a->tmp = cvbib_buf_detach(&tmp, NULL);
	a->have_old = stat(path, &st) == 0;
	a->mode = a->have_old ? st.st_mode & 07777 : 0666 & ~(mode_t)0022;
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0) {
		a->err = errno;
		a->what = "create";
	}
	*ap = a;
	return 0;
}

int
cvbib_atomic_sink(void *ctx, const char *data, size_t len)
{
	cvbib_atomic *a = ctx;
	size_t off = 0;

	while (a->err == 0 && off < len) {
		ssize_t w = write(a->fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			a->err = errno;
			a->what = "write";
			break;
		}
		off += (size_t)w;
	}
	return 0;	/* a failure is reported at the commit */
}

void
cvbib_atomic_abort(cvbib_atomic *a)
{
	if (a == NULL)
		return;
	if (a->fd >= 0) {
		close(a->fd);
		unlink(a->tmp);
	}
	free(a->tmp);
	free(a->path);
	free(a);
}

int
cvbib_atomic_commit(cvbib_atomic *a, const char *backup_suffix, struct cvbib_diags *d)
{
	const char *path = a->path;
	int rc = -CVBIB_EIO;

	if (a->err != 0) {
		if (strcmp(a->what, "create") == 0)
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot create a temporary file beside it: %s",
			    strerror(a->err));
		else
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot write: %s", strerror(a->err));
		goto fail;
	}
	(void)fchmod(a->fd, a->mode);
	if (fsync(a->fd) != 0 && errno != EINVAL) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot sync: %s", strerror(errno));
		goto fail;
	}
	if (close(a->fd) != 0) {
		a->fd = -1;
		unlink(a->tmp);
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot write: %s", strerror(errno));
		goto fail;
	}
	a->fd = -1;
	if (a->have_old && backup_suffix != NULL) {
		struct cvb_buf bak = CVB_BUF_INIT;

		cvb_buf_addf(&bak, "%s%s", path, backup_suffix);
		if (bak.err || link(path, bak.buf) != 0) {
			/* link fails if the backup exists: replace it */
			if (!bak.err && errno == EEXIST &&
			    (unlink(bak.buf) == 0 && link(path, bak.buf) == 0)) {
				/* done */
			} else {
				cvb_diag(d, CVB_D_IO, path, 0, 0,
				    "cannot keep a backup as '%s': %s", bak.buf, strerror(errno));
				cvbib_buf_release(&bak);
				unlink(a->tmp);
				goto fail;
			}
		}
		cvbib_buf_release(&bak);
	}
	if (rename(a->tmp, path) != 0) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot rename into place: %s", strerror(errno));
		unlink(a->tmp);
		goto fail;
	}
	rc = 0;
fail:
	cvbib_atomic_abort(a);
	return rc;
}

int
cvbib_write_file_atomic(const char *path, const char *data, size_t len,
    const char *backup_suffix, struct cvbib_diags *d)
{
	cvbib_atomic *a;
	int rc = cvbib_atomic_open(&a, path);

	if (rc != 0)
		return rc;
	cvbib_atomic_sink(a, data, len);
	return cvbib_atomic_commit(a, backup_suffix, d);
}
