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
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
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

int
cvbib_write_file_atomic(const char *path, const char *data, size_t len,
    const char *backup_suffix, struct cvbib_diags *d)
{
	struct cvb_buf tmp = CVB_BUF_INIT;
	struct stat st;
	int fd, rc = -CVBIB_EIO;
	size_t off = 0;
	bool have_old = stat(path, &st) == 0;

	cvb_buf_addf(&tmp, "%s.cvbib-XXXXXX", path);
	if (tmp.err) {
		cvbib_buf_release(&tmp);
		return -CVBIB_ENOMEM;
	}
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot create a temporary file beside it: %s",
		    strerror(errno));
		cvbib_buf_release(&tmp);
		return -CVBIB_EIO;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot write: %s", strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (have_old)
		(void)fchmod(fd, st.st_mode & 07777);
	else
		(void)fchmod(fd, 0666 & ~(mode_t)0022);
	if (fsync(fd) != 0 && errno != EINVAL) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot sync: %s", strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot write: %s", strerror(errno));
		goto fail;
	}
	fd = -1;
	if (have_old && backup_suffix != NULL) {
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
				goto fail;
			}
		}
		cvbib_buf_release(&bak);
	}
	if (rename(tmp.buf, path) != 0) {
		cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot rename into place: %s", strerror(errno));
		goto fail;
	}
	cvbib_buf_release(&tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	cvbib_buf_release(&tmp);
	return rc;
}
