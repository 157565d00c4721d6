/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_ERRNO_H
#define LAMINA_ERRNO_H

/*
 * Error numbers are Xen's (xen/errno.h from libxen-dev), which is what a
 * guest sees at the hypercall boundary. Internally functions return them
 * negated (-EINVAL). On x86 Linux hosts the values are identical to libc's,
 * so the unit tests may include <errno.h> as well.
 */
#include <xen/errno.h>

#ifndef EPERM
#define EPERM		XEN_EPERM
#define ENOENT		XEN_ENOENT
#define ESRCH		XEN_ESRCH
#define EINTR		XEN_EINTR
#define EIO		XEN_EIO
#define ENXIO		XEN_ENXIO
#define E2BIG		XEN_E2BIG
#define ENOEXEC		XEN_ENOEXEC
#define EBADF		XEN_EBADF
#define ECHILD		XEN_ECHILD
#define EAGAIN		XEN_EAGAIN
#define ENOMEM		XEN_ENOMEM
#define EACCES		XEN_EACCES
#define EFAULT		XEN_EFAULT
#define EBUSY		XEN_EBUSY
#define EEXIST		XEN_EEXIST
#define EXDEV		XEN_EXDEV
#define ENODEV		XEN_ENODEV
#define EINVAL		XEN_EINVAL
#define ENFILE		XEN_ENFILE
#define EMFILE		XEN_EMFILE
#define ENOSPC		XEN_ENOSPC
#define EROFS		XEN_EROFS
#define EMLINK		XEN_EMLINK
#define EDOM		XEN_EDOM
#define ERANGE		XEN_ERANGE
#define EDEADLK		XEN_EDEADLK
#define ENAMETOOLONG	XEN_ENAMETOOLONG
#define ENOLCK		XEN_ENOLCK
#define ENOSYS		XEN_ENOSYS
#define ENOTEMPTY	XEN_ENOTEMPTY
#define ENODATA		XEN_ENODATA
#define ETIME		XEN_ETIME
#define EBADMSG		XEN_EBADMSG
#define EOVERFLOW	XEN_EOVERFLOW
#define EILSEQ		XEN_EILSEQ
#define ERESTART	XEN_ERESTART
#define ENOTSOCK	XEN_ENOTSOCK
#define EOPNOTSUPP	XEN_EOPNOTSUPP
#define EADDRINUSE	XEN_EADDRINUSE
#define EADDRNOTAVAIL	XEN_EADDRNOTAVAIL
#define ENOBUFS		XEN_ENOBUFS
#define EISCONN		XEN_EISCONN
#define ENOTCONN	XEN_ENOTCONN
#define ETIMEDOUT	XEN_ETIMEDOUT
#endif

#endif /* LAMINA_ERRNO_H */
