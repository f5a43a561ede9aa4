/*
 * io.c - whole-file reading and atomic writing.
 *
 * Output files and in-place rewrites are written to a temporary file in the
 * same directory and renamed into place only after every byte was written and
 * synced, so that nothing the user owns is lost when something fails.
 *
 * A run killed while it writes (kill -9, a power cut) leaves its temporary
 * file FILE.cvbib-XXXXXX behind.  The next run that writes FILE removes such
 * files, but only one that no running cvbib may be writing: a writer holds a
 * lock (flock) on its temporary file from the moment it creates it until it
 * is renamed or removed, the kernel drops the lock of a killed process, and
 * a file is removed only when its lock can be taken, it is a regular file of
 * the same user, and it is older than STALE_SECONDS (which covers the instant
 * between creating a file and locking it).  Each removal is a note.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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
	int	 lockfd;	/* holds the lock on tmp (-1: none) */
	int	 err;		/* errno of the first failure */
	const char *what;	/* what failed: "create", "write" */
	bool	 have_old;
	mode_t	 mode;
	uid_t	 uid;		/* the old file's owner, kept when we may */
	gid_t	 gid;
};

/*
 * Create the temporary file tmp ("....XXXXXX", the X's replaced) as
 * mkstemp() does, but with mode 0666 less the umask, as a new file gets:
 * the mode a new output keeps.
 */
static int
make_temp(char *tmp)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(tmp), i;
	unsigned long long r = (unsigned long long)getpid() * 2654435761u ^
	    (unsigned long long)(uintptr_t)tmp;
	int tries, fd;

	if (n < 6)
		return errno = EINVAL, -1;
	for (tries = 0; tries < 1000; tries++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		r = r * 6364136223846793005ULL + (unsigned long long)ts.tv_nsec + (unsigned)tries;
		for (i = 0; i < 6; i++)
			tmp[n - 6 + i] = set[(r >> (i * 6 + 8)) % (sizeof(set) - 1)];
		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int
cvbib_atomic_open(cvbib_atomic **ap, const char *path)
{
	cvbib_atomic *a = calloc(1, sizeof(*a));
	struct cvb_buf tmp = CVB_BUF_INIT;
	struct stat st;

	char *real = NULL;

	*ap = NULL;
	if (a == NULL)
		return -CVBIB_ENOMEM;
	/* a symbolic link: its target is the file replaced (the link stays) */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)) != NULL)
		path = real;
	cvb_buf_addf(&tmp, "%s.cvbib-XXXXXX", path);
	a->path = strdup(path);
	free(real);
	path = a->path;
	if (tmp.err || a->path == NULL) {
		cvbib_buf_release(&tmp);
		free(a->path);
		free(a);
		return -CVBIB_ENOMEM;
	}
	a->tmp = cvbib_buf_detach(&tmp, NULL);
	a->have_old = stat(path, &st) == 0;
	if (a->have_old) {
		a->mode = st.st_mode & 07777;
		a->uid = st.st_uid;
		a->gid = st.st_gid;
	}
	if (a->have_old && access(path, W_OK) != 0) {
		/* a file the user may not write is not replaced behind their back */
		a->fd = -1;
		a->err = errno;
		a->what = "readonly";
	} else if ((a->fd = make_temp(a->tmp)) < 0) {
		a->err = errno;
		a->what = "create";
	}
	/* in use: no later run may take it for a leftover (a lock of its own:
	 * a->fd is closed before the rename) */
	a->lockfd = a->fd >= 0 ? open(a->tmp, O_RDONLY | O_CLOEXEC) : -1;
	if (a->lockfd >= 0 && flock(a->lockfd, LOCK_EX | LOCK_NB) != 0) {
		close(a->lockfd);
		a->lockfd = -1;
	}
	*ap = a;
	return 0;
}

#define STALE_SECONDS	60

/*
 * Remove the temporary files that killed runs left beside path (not own,
 * this run's): see the top of the file for when a file counts as left.
 */
static void
clean_stale(const char *path, const char *own, struct cvbib_diags *d)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	struct cvb_buf dir = CVB_BUF_INIT, full = CVB_BUF_INIT;
	size_t blen = strlen(base);
	struct dirent *de;
	DIR *dh;

	if (slash == path)
		cvb_buf_adds(&dir, "/");
	else if (slash != NULL)
		cvb_buf_add(&dir, path, (size_t)(slash - path));
	else
		cvb_buf_adds(&dir, ".");
	if (dir.err || (dh = opendir(dir.buf)) == NULL) {
		cvbib_buf_release(&dir);
		return;
	}
	while ((de = readdir(dh)) != NULL) {
		const char *n = de->d_name;
		struct stat st, fst;
		size_t i;
		int fd;

		if (strncmp(n, base, blen) != 0 || strncmp(n + blen, ".cvbib-", 7) != 0 ||
		    strlen(n + blen + 7) != 6)
			continue;
		for (i = 0; i < 6 && strchr(set, n[blen + 7 + i]) != NULL; i++)
			;
		if (i < 6)
			continue;
		if (own != NULL && strcmp(n, strrchr(own, '/') ? strrchr(own, '/') + 1 : own) == 0)
			continue;
		cvb_buf_reset(&full);
		if (slash != NULL)
			cvb_buf_addf(&full, "%s/", dir.buf);
		cvb_buf_adds(&full, n);
		if (full.err || lstat(full.buf, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		if ((fd = open(full.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		/* locked: a running cvbib writes it, and it is left alone */
		if (fstat(fd, &fst) == 0 && fst.st_ino == st.st_ino && fst.st_dev == st.st_dev &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (time(NULL) - st.st_mtime < STALE_SECONDS)
				cvb_diag(d, CVB_D_IO_STALE_TEMP, full.buf, 0, 0, "kept: less than %d "
				    "seconds old, another run may be about to write it", STALE_SECONDS);
			else if (unlink(full.buf) == 0)
				cvb_diag(d, CVB_D_IO_STALE_TEMP, full.buf, 0, 0,
				    "removed (left by a run that was killed)");
		}
		close(fd);	/* locked by a running cvbib: left to it */
	}
	closedir(dh);
	cvbib_buf_release(&dir);
	cvbib_buf_release(&full);
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
	if (a->lockfd >= 0)
		close(a->lockfd);
	free(a->tmp);
	free(a->path);
	free(a);
}

int
cvbib_atomic_commit(cvbib_atomic *a, const char *backup_suffix, struct cvbib_diags *d)
{
	const char *path = a->path;
	int rc = -CVBIB_EIO;

	clean_stale(path, a->fd >= 0 ? a->tmp : NULL, d);
	if (a->err != 0) {
		if (strcmp(a->what, "readonly") == 0)
			cvb_diag(d, CVB_D_IO, path, 0, 0, "not replaced: you may not write it (%s)",
			    strerror(a->err));
		else if (strcmp(a->what, "create") == 0)
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot create a temporary file beside it: %s",
			    strerror(a->err));
		else
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot write: %s", strerror(a->err));
		goto fail;
	}
	if (a->have_old && fchown(a->fd, a->uid, a->gid) != 0)
		(void)fchown(a->fd, (uid_t)-1, a->gid);	/* the group at least, when we may */
	if (a->have_old)
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
		/* FILE.bak, or the first free FILE.bak.N: a backup is never
		 * replaced, so repeated or parallel runs keep the original (link()
		 * fails when the name is taken) */
		struct cvb_buf bak = CVB_BUF_INIT;
		int n, ok = 0;

		for (n = 0; n < 1000 && !ok; n++) {
			cvb_buf_reset(&bak);
			if (n == 0)
				cvb_buf_addf(&bak, "%s%s", path, backup_suffix);
			else
				cvb_buf_addf(&bak, "%s%s.%d", path, backup_suffix, n);
			if (bak.err)
				break;
			if (link(path, bak.buf) == 0)
				ok = 1;
			else if (errno != EEXIST)
				break;
		}
		if (!ok) {
			cvb_diag(d, CVB_D_IO, path, 0, 0, "cannot keep a backup as '%s': %s",
			    bak.buf ? bak.buf : "", bak.err ? "out of memory" : strerror(errno));
			cvbib_buf_release(&bak);
			unlink(a->tmp);
			goto fail;
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
