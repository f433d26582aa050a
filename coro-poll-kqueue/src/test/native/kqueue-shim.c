/*
 * kqueue-over-epoll: a Linux library that exports kqueue(2) and kevent(2) with FreeBSD 12's
 * struct kevent (64 bytes), so that coro-poll-kqueue's binding and poller run their tests here.
 * Written from the kqueue(2) man page's semantics, for exactly what the poller and its tests use:
 *
 *   filters  EVFILT_READ, EVFILT_WRITE (an fd in epoll; both filters of one fd share its entry),
 *            EVFILT_USER (an eventfd per event), EVFILT_SIGNAL (a chaining signal handler, below),
 *            EVFILT_PROC with NOTE_EXIT (a pidfd per knote), EVFILT_VNODE (an inotify fd per knote)
 *   flags    EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT, EV_DISPATCH, EV_CLEAR (user and
 *            vnode events; set automatically on signal and proc knotes, as FreeBSD does), EV_RECEIPT;
 *            out: EV_ERROR (data = errno), EV_EOF (fflags = the socket's error; on a proc knote: the
 *            process exited, the knote is gone after that report, as FreeBSD's EV_EOF|EV_ONESHOT)
 *   fflags   NOTE_TRIGGER and NOTE_FFNOP/FFAND/FFOR/FFCOPY for EVFILT_USER; NOTE_EXIT for
 *            EVFILT_PROC; NOTE_DELETE/WRITE/EXTEND/ATTRIB/LINK/RENAME for EVFILT_VNODE
 *
 * EVFILT_SIGNAL: ident is the signal number; data is the number of deliveries since the knote was
 * added or last reported. Not signalfd: a JVM cannot block a signal in all its threads, so a signalfd
 * would never see it. Instead the first knote of a signal installs (sigaction, SA_SIGINFO) a handler
 * that counts the delivery in a per-signal atomic counter, writes to one process-wide eventfd, and
 * then calls the handler it replaced when that was a real handler (with its mask and SA_RESTART,
 * SA_ONSTACK, SA_NODEFER; SA_RESETHAND is dropped); a replaced SIG_DFL or SIG_IGN is not called.
 * Each kqueue with signal knotes has that eventfd in its epoll edge-triggered and never reads it, so
 * every delivery wakes every such kqueue and none can steal another's event; a knote is pending while
 * the signal's counter differs from the count it last reported.
 *
 * EVFILT_PROC: ident is a pid, fflags must be NOTE_EXIT; a pidfd (pidfd_open) per knote, readable at
 * exit (at once for a zombie). data is the wait(2) status from waitid(P_PIDFD, WNOWAIT), which does
 * not reap (the JVM's reaper thread reaps its children), or -1 when it cannot be had: ECHILD, a
 * process that is not our child or was reaped already. A pid that does not exist: ESRCH.
 *
 * EVFILT_VNODE: ident is an fd of a regular file or a directory; fflags in: the interest, out: what
 * happened since the last report (only bits of the interest). An inotify fd per knote watches
 * /proc/self/fd/N, the fd's magic link, so the very file the fd names is watched even if renamed or
 * unlinked. A file: NOTE_WRITE from IN_MODIFY, plus NOTE_EXTEND when fstat's size grew since the last
 * look; NOTE_RENAME from IN_MOVE_SELF; NOTE_DELETE from IN_DELETE_SELF or a fall of st_nlink (Linux
 * sends only IN_ATTRIB at unlink while an fd holds the file open; FreeBSD sends NOTE_DELETE at every
 * unlink); NOTE_LINK from a rise of st_nlink; NOTE_ATTRIB from IN_ATTRIB with st_nlink unchanged. A
 * directory: NOTE_WRITE from IN_CREATE/IN_DELETE/IN_MOVED_FROM/IN_MOVED_TO of an entry, NOTE_LINK
 * from a change of st_nlink, and the rest as for a file. Without EV_CLEAR the reported bits stay and
 * the knote is reported by every call, as on FreeBSD.
 *
 * Semantics kept from FreeBSD's kern_event.c: every change is applied in order; a change that fails
 * (or carries EV_RECEIPT) yields an EV_ERROR entry and does not stop the others; when any entry was
 * made that way kevent returns them at once without waiting for events; with no room for an error
 * entry the call fails with that error; EINTR comes after every change was applied; a tv_nsec
 * outside [0, 1e9) is EINVAL; nevents == 0 never waits; a wait woken by nothing reportable waits on
 * for the time left; no knote is reported twice by one call. A kqueue's knotes of an fd go when that
 * fd is closed: here, a knote whose fd now names another file (st_dev/st_ino differ) is dropped
 * before a change to that fd is applied, and a vnode knote also when its next event comes.
 *
 * Also exported: kqshim_changes_applied() and kqshim_kevent_calls(), counters for the tests,
 * kqshim_install_noop_handler() for the EINTR test, kqshim_install_counting_handler() and
 * kqshim_counted() for the signal-chaining test, and
 * close(), which releases a shim kqueue's state (its eventfds, pidfds and inotify fds) before closing
 * the fd and otherwise is the plain system call; the binding binds close() from this library, so the
 * process's other close() calls keep libc's (the library is loaded RTLD_LOCAL, and libc precedes it
 * in the global scope anyway).
 *
 * Caveats: Linux's SO_ERROR is consumed when read, so after an EV_EOF with fflags the socket's next
 * read() sees end of stream where FreeBSD's would see the error. EV_CLEAR on fd filters,
 * EVFILT_TIMER, EVFILT_PROC's NOTE_FORK/NOTE_EXEC/NOTE_TRACK and vnode notes other than the six above
 * are refused with EINVAL. Changes that delete knotes of a kqueue while another thread waits on it
 * are safe (events are looked up again after the wait) but may be reported late by one call.
 * Signals: the handler and the eventfd stay for the life of the process once a signal was watched
 * (restoring the old handler would race with deliveries and with other kqueues); a watched signal
 * whose disposition was SIG_DFL no longer has its default action (unlike FreeBSD, where the signal
 * still terminates the process); a watched SIGCHLD that was ignored gets SA_NOCLDWAIT so children are
 * still reaped; SIGKILL, SIGSTOP, glibc's reserved signals and numbers outside 1..64 are EINVAL;
 * whoever installs a handler for a watched signal afterwards (sigaction, or the JVM's
 * sun.misc.Signal.handle) replaces the shim's, and the shim stops seeing that signal until the next
 * EV_ADD for it, which installs the shim's again, chaining to the new one (sig_prev is rewritten then:
 * a delivery racing that rewrite may call the older handler). A handled
 * signal makes a thread's epoll_wait (and so kevent) return EINTR even with SA_RESTART. Proc: data
 * -1 is the shim's "unknown" where FreeBSD always gives the status. Vnode: the interest is watched
 * from the add on, changes that cancel out between two looks at st_nlink or st_size are not seen,
 * and a knote whose fd was closed and reopened on the same file (same number) lives on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Older headers may lack these (Linux 5.3 and 5.4); the numbers are the same on every 64-bit arch. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define API __attribute__((visibility("default")))

/* FreeBSD 12+ <sys/event.h>, amd64/arm64. */
struct kevent {
    uintptr_t ident;
    short filter;
    unsigned short flags;
    unsigned int fflags;
    int64_t data;
    void *udata;
    uint64_t ext[4];
};
_Static_assert(sizeof(struct kevent) == 64, "FreeBSD 12 struct kevent is 64 bytes");
_Static_assert(offsetof(struct kevent, filter) == 8 && offsetof(struct kevent, flags) == 10
               && offsetof(struct kevent, fflags) == 12 && offsetof(struct kevent, data) == 16
               && offsetof(struct kevent, udata) == 24 && offsetof(struct kevent, ext) == 32,
               "FreeBSD 12 struct kevent field offsets");

#define EVFILT_READ   (-1)
#define EVFILT_WRITE  (-2)
#define EVFILT_VNODE  (-4)
#define EVFILT_PROC   (-5)
#define EVFILT_SIGNAL (-6)
#define EVFILT_USER   (-11)

#define EV_ADD      0x0001
#define EV_DELETE   0x0002
#define EV_ENABLE   0x0004
#define EV_DISABLE  0x0008
#define EV_ONESHOT  0x0010
#define EV_CLEAR    0x0020
#define EV_RECEIPT  0x0040
#define EV_DISPATCH 0x0080
#define EV_ERROR    0x4000
#define EV_EOF      0x8000

#define NOTE_FFNOP      0x00000000u
#define NOTE_FFAND      0x40000000u
#define NOTE_FFOR       0x80000000u
#define NOTE_FFCOPY     0xc0000000u
#define NOTE_FFCTRLMASK 0xc0000000u
#define NOTE_FFLAGSMASK 0x00ffffffu
#define NOTE_TRIGGER    0x01000000u

#define NOTE_EXIT       0x80000000u

#define NOTE_DELETE     0x0001u
#define NOTE_WRITE      0x0002u
#define NOTE_EXTEND     0x0004u
#define NOTE_ATTRIB     0x0008u
#define NOTE_LINK       0x0010u
#define NOTE_RENAME     0x0020u
#define VNODE_NOTES     0x003fu

/* epoll data: an fd's number, or a tag | the knote's serial, or SIG_TAG (the signal eventfd). */
#define USER_TAG  (1ull << 63)
#define PROC_TAG  (1ull << 62)
#define VNODE_TAG (1ull << 61)
#define SIG_TAG   (1ull << 60)
#define TAG_MASK  (USER_TAG | PROC_TAG | VNODE_TAG | SIG_TAG)
#define FD_BUCKETS 256

struct knote {
    uintptr_t ident;
    short filter;
    unsigned short flags;   /* EV_ONESHOT, EV_DISPATCH, EV_CLEAR as added */
    int disabled;
    void *udata;
    /* EVFILT_USER: the stored fflags; EVFILT_PROC, EVFILT_VNODE: the interest */
    unsigned int sfflags;
    int triggered;
    int evfd;               /* EVFILT_USER: eventfd; EVFILT_PROC: pidfd; EVFILT_VNODE: inotify fd; else -1 */
    uint64_t serial;
    uint64_t gen;           /* the kevent call that last reported it (no call reports a knote twice) */
    /* EVFILT_SIGNAL: the signal's count when last reported (or added) */
    uint64_t seen;
    /* EVFILT_VNODE: the notes to report, and the file as last looked at */
    unsigned int fired;
    dev_t dev;
    ino_t ino;
    off_t size;
    nlink_t nlink;
    int isdir;
    struct knote *next;
};

struct fdent {
    int fd;
    dev_t dev;
    ino_t ino;
    struct knote *rd, *wr;
    int in_epoll;
    int soerr;              /* the socket error once read (SO_ERROR consumes it) */
    struct fdent *next;
};

struct kq {
    int epfd;
    pthread_mutex_t mu;
    struct fdent *fds[FD_BUCKETS];
    struct knote *users, *sigs, *procs, *vnodes;
    int sig_in_epoll;       /* the signal eventfd is in epfd */
    uint64_t next_serial;
    uint64_t gen;
    struct kq *next;
};

static pthread_mutex_t all_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kq *all;
/* For the tests: EINTR must not resubmit a changelist; a poll is one kevent call. */
static uint64_t changes_applied, kevent_calls;

static int sys_close(int fd) { return (int) syscall(SYS_close, fd); }

static struct kq *find_kq(int fd) {
    pthread_mutex_lock(&all_mu);
    struct kq *k = all;
    while (k != NULL && k->epfd != fd) k = k->next;
    pthread_mutex_unlock(&all_mu);
    return k;
}

API int kqueue(void) {
    struct kq *k = calloc(1, sizeof *k);
    if (k == NULL) { errno = ENOMEM; return -1; }
    k->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (k->epfd < 0) { int e = errno; free(k); errno = e; return -1; }
    pthread_mutex_init(&k->mu, NULL);
    pthread_mutex_lock(&all_mu);
    k->next = all;
    all = k;
    pthread_mutex_unlock(&all_mu);
    return k->epfd;
}

/* Frees a knote and closes its fd (an eventfd, pidfd or inotify fd), which also takes it out of epoll. */
static void free_knote(struct knote *kn) {
    if (kn->evfd >= 0) sys_close(kn->evfd);
    free(kn);
}

static void free_list(struct knote *kn) {
    for (struct knote *n; kn != NULL; kn = n) { n = kn->next; free_knote(kn); }
}

static void free_fdent(struct kq *k, struct fdent *e) {
    if (e->in_epoll) epoll_ctl(k->epfd, EPOLL_CTL_DEL, e->fd, NULL); /* may be gone already */
    free(e->rd);
    free(e->wr);
    free(e);
}

API int close(int fd) {
    pthread_mutex_lock(&all_mu);
    struct kq **p = &all;
    while (*p != NULL && (*p)->epfd != fd) p = &(*p)->next;
    struct kq *k = *p;
    if (k != NULL) *p = k->next;
    pthread_mutex_unlock(&all_mu);
    if (k != NULL) {
        for (int b = 0; b < FD_BUCKETS; b++) {
            for (struct fdent *e = k->fds[b], *n; e != NULL; e = n) { n = e->next; free(e->rd); free(e->wr); free(e); }
        }
        free_list(k->users);
        free_list(k->sigs);
        free_list(k->procs);
        free_list(k->vnodes);
        pthread_mutex_destroy(&k->mu);
        free(k);
    }
    return sys_close(fd);
}

API uint64_t kqshim_changes_applied(void) { return __atomic_load_n(&changes_applied, __ATOMIC_SEQ_CST); }
API uint64_t kqshim_kevent_calls(void) { return __atomic_load_n(&kevent_calls, __ATOMIC_SEQ_CST); }

/* For the EINTR test: a handler that does nothing, without SA_RESTART, so a blocked wait returns EINTR. */
static void noop_handler(int sig) { (void) sig; }
API int kqshim_install_noop_handler(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = noop_handler;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

/* For the chaining test: an SA_SIGINFO handler that counts the deliveries whose siginfo names the
 * signal, so a handler installed over it shows whether it called it, and with its siginfo. */
#define SIG_MAX 64
static uint64_t counted[SIG_MAX + 1];
static void counting_handler(int sig, siginfo_t *info, void *uc) {
    (void) uc;
    if (sig > 0 && sig <= SIG_MAX && info != NULL && info->si_signo == sig)
        __atomic_add_fetch(&counted[sig], 1, __ATOMIC_SEQ_CST);
}
API int kqshim_install_counting_handler(int sig) {
    if (sig <= 0 || sig > SIG_MAX) { errno = EINVAL; return -1; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = counting_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}
API uint64_t kqshim_counted(int sig) {
    return sig > 0 && sig <= SIG_MAX ? __atomic_load_n(&counted[sig], __ATOMIC_SEQ_CST) : 0;
}

/* ------------------------------------------------------------------ fd filters */

static struct fdent **fd_slot(struct kq *k, int fd) {
    struct fdent **p = &k->fds[(unsigned) fd % FD_BUCKETS];
    while (*p != NULL && (*p)->fd != fd) p = &(*p)->next;
    return p;
}

static void drop_fdent(struct kq *k, struct fdent **slot) {
    struct fdent *e = *slot;
    *slot = e->next;
    free_fdent(k, e);
}

/* Makes the fd's epoll entry match its enabled knotes; 0 or an errno. */
static int sync_epoll(struct kq *k, struct fdent *e) {
    uint32_t ev = 0;
    if (e->rd != NULL && !e->rd->disabled) ev |= EPOLLIN | EPOLLRDHUP;
    if (e->wr != NULL && !e->wr->disabled) ev |= EPOLLOUT;
    struct epoll_event ee = {.events = ev, .data.u64 = (uint64_t) e->fd};
    if (ev == 0) {
        if (e->in_epoll) epoll_ctl(k->epfd, EPOLL_CTL_DEL, e->fd, NULL);
        e->in_epoll = 0;
        return 0;
    }
    int op = e->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(k->epfd, op, e->fd, &ee) < 0) {
        /* epoll forgot an fd that was closed (MOD: ENOENT) or still has it (ADD: EEXIST). */
        int alt = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
        if (alt < 0 || epoll_ctl(k->epfd, alt, e->fd, &ee) < 0) return errno;
    }
    e->in_epoll = 1;
    return 0;
}

static int apply_fd(struct kq *k, const struct kevent *c) {
    if (c->ident > INT_MAX) return EBADF;
    int fd = (int) c->ident;
    struct stat st;
    if (fstat(fd, &st) < 0) return EBADF;
    struct fdent **slot = fd_slot(k, fd);
    if (*slot != NULL && ((*slot)->dev != st.st_dev || (*slot)->ino != st.st_ino)) {
        drop_fdent(k, slot); /* the fd was closed and its number reused: its knotes went with it */
        slot = fd_slot(k, fd);
    }
    struct fdent *e = *slot;
    struct knote **kp = e == NULL ? NULL : c->filter == EVFILT_READ ? &e->rd : &e->wr;
    struct knote *kn = kp == NULL ? NULL : *kp;
    if (c->flags & EV_ADD) {
        if (c->flags & EV_CLEAR) return EINVAL; /* not emulated for fds (epoll's EPOLLET is per fd) */
        int new_ent = e == NULL, new_kn = kn == NULL;
        if (new_ent) {
            e = calloc(1, sizeof *e);
            if (e == NULL) return ENOMEM;
            e->fd = fd;
            e->dev = st.st_dev;
            e->ino = st.st_ino;
            e->next = *slot;
            *slot = e;
            kp = c->filter == EVFILT_READ ? &e->rd : &e->wr;
        }
        if (new_kn) {
            kn = calloc(1, sizeof *kn);
            if (kn == NULL) { if (new_ent) drop_fdent(k, fd_slot(k, fd)); return ENOMEM; }
            kn->ident = c->ident;
            kn->filter = c->filter;
            kn->evfd = -1;
            *kp = kn;
        }
        struct knote old = *kn;
        kn->flags = c->flags & (EV_ONESHOT | EV_DISPATCH);
        kn->udata = c->udata;
        kn->disabled = (c->flags & EV_DISABLE) != 0;
        int err = sync_epoll(k, e);
        if (err != 0) {
            if (new_kn) { *kp = NULL; free(kn); } else { *kn = old; }
            if (e->rd == NULL && e->wr == NULL) drop_fdent(k, fd_slot(k, fd));
            else sync_epoll(k, e);
        }
        return err;
    }
    if (kn == NULL) return ENOENT;
    if (c->flags & EV_DELETE) {
        *kp = NULL;
        free(kn);
        sync_epoll(k, e);
        if (e->rd == NULL && e->wr == NULL) drop_fdent(k, fd_slot(k, fd));
        return 0;
    }
    if (c->flags & (EV_ENABLE | EV_DISABLE)) {
        kn->disabled = (c->flags & EV_DISABLE) != 0;
        return sync_epoll(k, e);
    }
    return 0;
}

/* ------------------------------------------------------------------ EVFILT_USER */

static struct knote **user_slot(struct kq *k, uintptr_t ident) {
    struct knote **p = &k->users;
    while (*p != NULL && (*p)->ident != ident) p = &(*p)->next;
    return p;
}

static int user_epoll(struct kq *k, struct knote *kn, int op) {
    struct epoll_event ee = {.events = kn->disabled ? 0 : EPOLLIN, .data.u64 = USER_TAG | kn->serial};
    return epoll_ctl(k->epfd, op, kn->evfd, &ee) < 0 ? errno : 0;
}

static int apply_user(struct kq *k, const struct kevent *c) {
    struct knote **slot = user_slot(k, c->ident);
    struct knote *kn = *slot;
    if (c->flags & EV_DELETE) {
        if (kn == NULL) return ENOENT;
        *slot = kn->next;
        epoll_ctl(k->epfd, EPOLL_CTL_DEL, kn->evfd, NULL);
        free_knote(kn);
        return 0;
    }
    if (kn == NULL) {
        if (!(c->flags & EV_ADD)) return ENOENT;
        kn = calloc(1, sizeof *kn);
        if (kn == NULL) return ENOMEM;
        kn->ident = c->ident;
        kn->filter = EVFILT_USER;
        kn->serial = ++k->next_serial;
        kn->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        kn->disabled = (c->flags & EV_DISABLE) != 0;
        int err = kn->evfd < 0 ? errno : user_epoll(k, kn, EPOLL_CTL_ADD);
        if (err != 0) { free_knote(kn); return err; }
        kn->next = k->users;
        k->users = kn;
    }
    if (c->flags & EV_ADD) {
        kn->flags = c->flags & (EV_ONESHOT | EV_DISPATCH | EV_CLEAR);
        kn->udata = c->udata;
    }
    if (c->flags & (EV_ENABLE | EV_DISABLE)) {
        kn->disabled = (c->flags & EV_DISABLE) != 0;
        int err = user_epoll(k, kn, EPOLL_CTL_MOD);
        if (err != 0) return err;
    }
    unsigned int ffl = c->fflags & NOTE_FFLAGSMASK;
    switch (c->fflags & NOTE_FFCTRLMASK) {
        case NOTE_FFAND: kn->sfflags &= ffl; break;
        case NOTE_FFOR: kn->sfflags |= ffl; break;
        case NOTE_FFCOPY: kn->sfflags = ffl; break;
        default: break;
    }
    if (c->fflags & NOTE_TRIGGER) {
        kn->triggered = 1;
        uint64_t one = 1;
        if (write(kn->evfd, &one, sizeof one) < 0 && errno != EAGAIN) return errno;
    }
    return 0;
}

/* ------------------------------------------------------------------ helpers of the new filters */

static struct knote **list_slot(struct knote **head, uintptr_t ident) {
    while (*head != NULL && (*head)->ident != ident) head = &(*head)->next;
    return head;
}

static struct knote **serial_slot(struct knote **head, uint64_t serial) {
    while (*head != NULL && (*head)->serial != serial) head = &(*head)->next;
    return head;
}

/* The knote's own fd in epoll: EPOLLIN (level) while enabled, nothing while disabled. */
static int knote_epoll(struct kq *k, struct knote *kn, int op, uint64_t tag) {
    struct epoll_event ee = {.events = kn->disabled ? 0 : EPOLLIN, .data.u64 = tag | kn->serial};
    return epoll_ctl(k->epfd, op, kn->evfd, &ee) < 0 ? errno : 0;
}

static struct knote *new_knote(struct kq *k, const struct kevent *c) {
    struct knote *kn = calloc(1, sizeof *kn);
    if (kn == NULL) return NULL;
    kn->ident = c->ident;
    kn->filter = c->filter;
    kn->evfd = -1;
    kn->serial = ++k->next_serial;
    kn->disabled = (c->flags & EV_DISABLE) != 0;
    return kn;
}

/* Unlinks *slot and frees it (closing its fd takes it out of epoll). */
static void drop_knote(struct knote **slot) {
    struct knote *kn = *slot;
    *slot = kn->next;
    free_knote(kn);
}

static void fill(struct kevent *o, const struct knote *kn, unsigned short flags, unsigned int fflags, int64_t data) {
    memset(o, 0, sizeof *o);
    o->ident = kn->ident;
    o->filter = kn->filter;
    o->flags = flags;
    o->fflags = fflags;
    o->data = data;
    o->udata = kn->udata;
}

/* After a knote at *slot was reported: EV_ONESHOT deletes it, EV_DISPATCH disables it. */
static void after_report(struct kq *k, struct knote **slot, uint64_t tag, uint64_t gen) {
    struct knote *kn = *slot;
    kn->gen = gen;
    if (kn->flags & EV_ONESHOT) {
        drop_knote(slot);
    } else if (kn->flags & EV_DISPATCH) {
        kn->disabled = 1;
        if (kn->evfd >= 0) knote_epoll(k, kn, EPOLL_CTL_MOD, tag);
    }
}

/* EV_ENABLE / EV_DISABLE of an existing knote with its own fd (tag 0: none). */
static int enable_disable(struct kq *k, struct knote *kn, const struct kevent *c, uint64_t tag) {
    if (!(c->flags & (EV_ENABLE | EV_DISABLE))) return 0;
    kn->disabled = (c->flags & EV_DISABLE) != 0;
    return tag != 0 ? knote_epoll(k, kn, EPOLL_CTL_MOD, tag) : 0;
}

/* ------------------------------------------------------------------ EVFILT_SIGNAL */

/* Process-wide, written by the handler: it may only use atomics and write(). sig_prev[s] is written
 * once, before the handler is installed for s, and only read afterwards. */
static uint64_t sig_counts[SIG_MAX + 1];
static struct sigaction sig_prev[SIG_MAX + 1];
static int sig_evfd = -1;
static pthread_mutex_t sig_mu = PTHREAD_MUTEX_INITIALIZER;
_Static_assert(__atomic_always_lock_free(sizeof(uint64_t), 0), "the handler's counters must be lock-free");

static void sig_handler(int sig, siginfo_t *info, void *uc) {
    int saved = errno;
    if (sig > 0 && sig <= SIG_MAX) {
        __atomic_add_fetch(&sig_counts[sig], 1, __ATOMIC_SEQ_CST);
        int fd = __atomic_load_n(&sig_evfd, __ATOMIC_ACQUIRE);
        uint64_t one = 1;
        if (fd >= 0) {
            ssize_t r = write(fd, &one, sizeof one); /* EAGAIN only at 2^64 - 2: already readable */
            (void) r;
        }
        const struct sigaction *p = &sig_prev[sig];
        errno = saved;
        if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
            if (p->sa_flags & SA_SIGINFO) p->sa_sigaction(sig, info, uc);
            else p->sa_handler(sig);
        }
    }
    errno = saved;
}

/* Installs the chaining handler for sig, and the eventfd once; 0 or an errno. Each watch checks that
 * the handler is still ours and, if someone replaced it since (the JVM's sun.misc.Signal.handle does),
 * installs it again chaining to the new one, so a knote added after the replacement sees the signal. */
static int sig_watch(int sig) {
    if (sig == SIGKILL || sig == SIGSTOP) return EINVAL;
    int err = 0;
    pthread_mutex_lock(&sig_mu);
    if (sig_evfd < 0) {
        int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) err = errno;
        else __atomic_store_n(&sig_evfd, fd, __ATOMIC_RELEASE);
    }
    if (err == 0) {
        struct sigaction prev, sa;
        if (sigaction(sig, NULL, &prev) < 0) {
            err = errno;
        } else if ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction == sig_handler) {
            /* still ours */
        } else {
            sig_prev[sig] = prev;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = sig_handler;
            if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
                /* The replaced handler runs inside ours: give it the mask and flags it asked for. */
                sa.sa_mask = prev.sa_mask;
                sa.sa_flags = prev.sa_flags & (SA_RESTART | SA_ONSTACK | SA_NODEFER | SA_NOCLDSTOP | SA_NOCLDWAIT);
            } else {
                /* It was not caught: restart what it now interrupts, and keep an ignored SIGCHLD's reaping. */
                sigemptyset(&sa.sa_mask);
                sa.sa_flags = SA_RESTART | (prev.sa_flags & (SA_NOCLDSTOP | SA_NOCLDWAIT));
                if (sig == SIGCHLD && prev.sa_handler == SIG_IGN) sa.sa_flags |= SA_NOCLDWAIT;
            }
            sa.sa_flags |= SA_SIGINFO;
            if (sigaction(sig, &sa, NULL) < 0) err = errno; /* EINVAL: glibc's own signals */
        }
    }
    pthread_mutex_unlock(&sig_mu);
    return err;
}

static uint64_t sig_count(uintptr_t sig) { return __atomic_load_n(&sig_counts[sig], __ATOMIC_SEQ_CST); }

/* The signal eventfd is in a kqueue's epoll (edge-triggered, never read) while it has signal knotes. */
static int sig_epoll(struct kq *k) {
    if (k->sigs != NULL && !k->sig_in_epoll) {
        struct epoll_event ee = {.events = EPOLLIN | EPOLLET, .data.u64 = SIG_TAG};
        if (epoll_ctl(k->epfd, EPOLL_CTL_ADD, sig_evfd, &ee) < 0) return errno;
        k->sig_in_epoll = 1;
    } else if (k->sigs == NULL && k->sig_in_epoll) {
        epoll_ctl(k->epfd, EPOLL_CTL_DEL, sig_evfd, NULL);
        k->sig_in_epoll = 0;
    }
    return 0;
}

static int apply_signal(struct kq *k, const struct kevent *c) {
    struct knote **slot = list_slot(&k->sigs, c->ident);
    struct knote *kn = *slot;
    if (c->flags & EV_DELETE) {
        if (kn == NULL) return ENOENT;
        drop_knote(slot);
        sig_epoll(k);
        return 0;
    }
    if (kn == NULL) {
        if (!(c->flags & EV_ADD)) return ENOENT;
        if (c->ident < 1 || c->ident > SIG_MAX) return EINVAL;
        int err = sig_watch((int) c->ident);
        if (err != 0) return err;
        kn = new_knote(k, c);
        if (kn == NULL) return ENOMEM;
        kn->seen = sig_count(c->ident); /* deliveries before the add are not this knote's */
        kn->next = k->sigs;
        k->sigs = kn;
        if ((err = sig_epoll(k)) != 0) { drop_knote(&k->sigs); return err; }
    } else {
        enable_disable(k, kn, c, 0); /* a pending delivery is found by the next call's scan */
    }
    if (c->flags & EV_ADD) {
        kn->flags = (c->flags & (EV_ONESHOT | EV_DISPATCH)) | EV_CLEAR; /* EV_CLEAR: automatic, as on FreeBSD */
        kn->udata = c->udata;
    }
    return 0;
}

/* Reports the kqueue's pending signal knotes, at most room; returns how many. */
static int emit_signals(struct kq *k, struct kevent *out, int room, uint64_t gen) {
    int n = 0;
    for (struct knote **p = &k->sigs; *p != NULL && n < room;) {
        struct knote *kn = *p;
        uint64_t now = sig_count(kn->ident);
        if (kn->disabled || now == kn->seen || kn->gen == gen) { p = &kn->next; continue; }
        fill(&out[n++], kn, kn->flags, 0, (int64_t) (now - kn->seen));
        kn->seen = now;
        after_report(k, p, 0, gen);
        if (*p == kn) p = &kn->next;
    }
    if (k->sigs == NULL) sig_epoll(k);
    return n;
}

/* ------------------------------------------------------------------ EVFILT_PROC */

static int apply_proc(struct kq *k, const struct kevent *c) {
    struct knote **slot = list_slot(&k->procs, c->ident);
    struct knote *kn = *slot;
    if (c->flags & EV_DELETE) {
        if (kn == NULL) return ENOENT;
        drop_knote(slot);
        return 0;
    }
    if ((c->flags & EV_ADD) && c->fflags != NOTE_EXIT) return EINVAL; /* NOTE_FORK, _EXEC, _TRACK: not emulated */
    if (kn == NULL) {
        if (!(c->flags & EV_ADD)) return ENOENT;
        if (c->ident == 0 || c->ident > INT_MAX) return ESRCH;
        int pidfd = (int) syscall(SYS_pidfd_open, (pid_t) c->ident, 0);
        if (pidfd < 0) return errno; /* ESRCH: no such process */
        kn = new_knote(k, c);
        if (kn == NULL) { sys_close(pidfd); return ENOMEM; }
        kn->evfd = pidfd;
        int err = knote_epoll(k, kn, EPOLL_CTL_ADD, PROC_TAG);
        if (err != 0) { free_knote(kn); return err; }
        kn->next = k->procs;
        k->procs = kn;
    } else {
        int err = enable_disable(k, kn, c, PROC_TAG);
        if (err != 0) return err;
    }
    if (c->flags & EV_ADD) {
        kn->flags = (c->flags & (EV_ONESHOT | EV_DISPATCH)) | EV_CLEAR; /* EV_CLEAR: automatic, as on FreeBSD */
        kn->udata = c->udata;
        kn->sfflags = c->fflags;
    }
    return 0;
}

/* The wait(2) status of an exited process, without reaping it; -1 when it cannot be had. */
static int64_t exit_status(int pidfd, int *exited) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    *exited = 1;
    if (waitid(P_PIDFD, (id_t) pidfd, &si, WEXITED | WNOHANG | WNOWAIT) < 0) return -1; /* ECHILD */
    if (si.si_pid == 0) { *exited = 0; return 0; } /* our child, still running */
    switch (si.si_code) {
        case CLD_EXITED: return (int64_t) (si.si_status & 0xff) << 8;
        case CLD_KILLED: return si.si_status & 0x7f;
        case CLD_DUMPED: return (si.si_status & 0x7f) | 0x80;
        default: return -1;
    }
}

static int emit_proc(struct kq *k, uint64_t serial, struct kevent *out, uint64_t gen) {
    struct knote **slot = serial_slot(&k->procs, serial);
    struct knote *kn = *slot;
    if (kn == NULL || kn->disabled) return 0;
    int exited;
    int64_t status = exit_status(kn->evfd, &exited);
    if (!exited) return 0;
    /* As FreeBSD's filt_proc: the process is gone, so is the knote after this report. */
    fill(out, kn, kn->flags | EV_EOF | EV_ONESHOT, NOTE_EXIT, status);
    kn->gen = gen;
    drop_knote(slot);
    return 1;
}

/* ------------------------------------------------------------------ EVFILT_VNODE */

static int apply_vnode(struct kq *k, const struct kevent *c) {
    if (c->ident > INT_MAX) return EBADF;
    int fd = (int) c->ident;
    struct knote **slot = list_slot(&k->vnodes, c->ident);
    struct stat st;
    int bad = fstat(fd, &st) < 0;
    if (*slot != NULL && (bad || (*slot)->dev != st.st_dev || (*slot)->ino != st.st_ino)) {
        drop_knote(slot); /* the fd was closed (and its number maybe reused): its knote went with it */
        slot = list_slot(&k->vnodes, c->ident); /* *slot is the next knote now */
    }
    if (bad) return EBADF;
    struct knote *kn = *slot;
    if (c->flags & EV_DELETE) {
        if (kn == NULL) return ENOENT;
        drop_knote(slot);
        return 0;
    }
    if ((c->flags & EV_ADD) && (c->fflags & ~VNODE_NOTES)) return EINVAL; /* NOTE_REVOKE, _OPEN, ...: not emulated */
    if (kn == NULL) {
        if (!(c->flags & EV_ADD)) return ENOENT;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return EINVAL;
        int isdir = S_ISDIR(st.st_mode);
        int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (ifd < 0) return errno;
        /* The magic link, not the path it shows: the watch is on the fd's own file, whatever its name. */
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        uint32_t mask = IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF
                        | (isdir ? IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO : 0);
        if (inotify_add_watch(ifd, path, mask) < 0) { int e = errno; sys_close(ifd); return e; }
        kn = new_knote(k, c);
        if (kn == NULL) { sys_close(ifd); return ENOMEM; }
        kn->evfd = ifd;
        kn->dev = st.st_dev;
        kn->ino = st.st_ino;
        kn->size = st.st_size;
        kn->nlink = st.st_nlink;
        kn->isdir = isdir;
        int err = knote_epoll(k, kn, EPOLL_CTL_ADD, VNODE_TAG);
        if (err != 0) { free_knote(kn); return err; }
        kn->next = k->vnodes;
        k->vnodes = kn;
    } else {
        int err = enable_disable(k, kn, c, VNODE_TAG);
        if (err != 0) return err;
    }
    if (c->flags & EV_ADD) {
        kn->flags = c->flags & (EV_ONESHOT | EV_DISPATCH | EV_CLEAR);
        kn->udata = c->udata;
        kn->sfflags = c->fflags;
    }
    return 0;
}

/* Reads the knote's inotify events into its fired notes; -1 when its fd no longer names its file
 * (closed: the knote must go, unreported). */
static int vnode_drain(struct knote *kn) {
    union {
        struct inotify_event ev;
        char buf[4096];
    } u;
    uint32_t self = 0;
    int entries = 0;
    ssize_t r;
    while ((r = read(kn->evfd, u.buf, sizeof u.buf)) > 0) {
        for (char *p = u.buf; p < u.buf + r;) {
            const struct inotify_event *e = (const struct inotify_event *) p;
            if (e->mask & IN_Q_OVERFLOW) { self |= IN_MODIFY | IN_ATTRIB; entries |= kn->isdir; } /* lost: assume */
            else if (e->len > 0) entries |= (e->mask & (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)) != 0;
            else self |= e->mask;
            p += sizeof *e + e->len;
        }
    }
    if (self == 0 && !entries) return 0;
    struct stat st;
    if (fstat((int) kn->ident, &st) < 0 || st.st_dev != kn->dev || st.st_ino != kn->ino) return -1;
    unsigned int notes = 0;
    if (entries) notes |= NOTE_WRITE;
    if (self & IN_MODIFY) notes |= NOTE_WRITE | (st.st_size > kn->size ? NOTE_EXTEND : 0);
    if (st.st_nlink != kn->nlink) notes |= kn->isdir || st.st_nlink > kn->nlink ? NOTE_LINK : NOTE_DELETE;
    else if (self & IN_ATTRIB) notes |= NOTE_ATTRIB;
    if (self & IN_DELETE_SELF) notes |= NOTE_DELETE;
    if (self & IN_MOVE_SELF) notes |= NOTE_RENAME;
    kn->size = st.st_size;
    kn->nlink = st.st_nlink;
    kn->fired |= notes & kn->sfflags;
    return 0;
}

/* Drains the knote at *slot and reports it if it has notes (room permitting: 0 means drain only). */
static int emit_vnode(struct kq *k, struct knote **slot, struct kevent *out, int room, uint64_t gen) {
    struct knote *kn = *slot;
    if (vnode_drain(kn) < 0) { drop_knote(slot); return 0; }
    if (room == 0 || kn->disabled || kn->fired == 0 || kn->gen == gen) return 0;
    fill(out, kn, kn->flags, kn->fired, 0);
    if (kn->flags & EV_CLEAR) kn->fired = 0; /* without it the notes stay, and are reported again */
    after_report(k, slot, VNODE_TAG, gen);
    return 1;
}

/* ------------------------------------------------------------------ knotes pending without readiness */

/* What a wait would not wake for: signals counted while their edge was taken by a full eventlist
 * or while disabled, and vnode notes kept (no EV_CLEAR) or accumulated while disabled. */
static int collect_pending(struct kq *k, struct kevent *out, int room, uint64_t gen) {
    int n = emit_signals(k, out, room, gen);
    for (struct knote **p = &k->vnodes; *p != NULL;) {
        struct knote *kn = *p;
        n += emit_vnode(k, p, &out[n], room - n, gen);
        if (*p == kn) p = &kn->next;
    }
    return n;
}

static int apply(struct kq *k, const struct kevent *c) {
    __atomic_add_fetch(&changes_applied, 1, __ATOMIC_SEQ_CST);
    switch (c->filter) {
        case EVFILT_READ:
        case EVFILT_WRITE: return apply_fd(k, c);
        case EVFILT_USER: return apply_user(k, c);
        case EVFILT_SIGNAL: return apply_signal(k, c);
        case EVFILT_PROC: return apply_proc(k, c);
        case EVFILT_VNODE: return apply_vnode(k, c);
        default: return EINVAL; /* EVFILT_TIMER and the rest: not emulated */
    }
}

/* ------------------------------------------------------------------ collecting events */

static int emit_fd(struct kq *k, struct fdent *e, uint32_t ev, struct kevent *out, int room) {
    int n = 0;
    if ((ev & EPOLLERR) && e->soerr == 0) {
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0) e->soerr = err;
    }
    for (int w = 0; w < 2 && n < room; w++) {
        struct knote **kp = w == 0 ? &e->rd : &e->wr;
        struct knote *kn = *kp;
        if (kn == NULL || kn->disabled) continue;
        uint32_t want = w == 0 ? (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR) : (EPOLLOUT | EPOLLHUP | EPOLLERR);
        if (!(ev & want)) continue;
        int eof = w == 0 ? (ev & (EPOLLRDHUP | EPOLLHUP)) != 0 : (ev & (EPOLLHUP | EPOLLERR)) != 0;
        int avail = 0;
        if (w == 0 && ioctl(e->fd, FIONREAD, &avail) < 0) avail = 0;
        struct kevent *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->ident = kn->ident;
        o->filter = kn->filter;
        o->flags = kn->flags | (eof ? EV_EOF : 0);
        o->fflags = eof ? (unsigned int) e->soerr : 0;
        o->data = avail;
        o->udata = kn->udata;
        if (kn->flags & EV_ONESHOT) { *kp = NULL; free(kn); }
        else if (kn->flags & EV_DISPATCH) kn->disabled = 1;
    }
    sync_epoll(k, e);
    if (e->rd == NULL && e->wr == NULL) drop_fdent(k, fd_slot(k, e->fd));
    return n;
}

static int emit_user(struct kq *k, uint64_t serial, struct kevent *out) {
    struct knote **slot = &k->users;
    while (*slot != NULL && (*slot)->serial != serial) slot = &(*slot)->next;
    struct knote *kn = *slot;
    if (kn == NULL || kn->disabled || !kn->triggered) return 0;
    memset(out, 0, sizeof *out);
    out->ident = kn->ident;
    out->filter = EVFILT_USER;
    out->flags = kn->flags;
    out->fflags = kn->sfflags;
    out->udata = kn->udata;
    if (kn->flags & (EV_CLEAR | EV_ONESHOT | EV_DISPATCH)) {
        uint64_t v;
        if (read(kn->evfd, &v, sizeof v) < 0) { /* EAGAIN: already drained */ }
        kn->triggered = 0;
        if (kn->flags & EV_CLEAR) kn->sfflags = 0;
    }
    if (kn->flags & EV_ONESHOT) {
        *slot = kn->next;
        epoll_ctl(k->epfd, EPOLL_CTL_DEL, kn->evfd, NULL);
        free_knote(kn);
    } else if (kn->flags & EV_DISPATCH) {
        kn->disabled = 1;
        user_epoll(k, kn, EPOLL_CTL_MOD);
    }
    return 1;
}

/* Milliseconds from now to the deadline, rounded up (NULL: -1, no bound). */
static int ms_until(const struct timespec *deadline) {
    if (deadline == NULL) return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (long long) (deadline->tv_sec - now.tv_sec) * 1000000000LL + (deadline->tv_nsec - now.tv_nsec);
    if (ns <= 0) return 0;
    long long ms = (ns + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : (int) ms;
}

API int kevent(int kqfd, const struct kevent *changelist, int nchanges, struct kevent *eventlist, int nevents,
               const struct timespec *timeout) {
    __atomic_add_fetch(&kevent_calls, 1, __ATOMIC_SEQ_CST);
    struct kq *k = find_kq(kqfd);
    if (k == NULL) { errno = EBADF; return -1; }
    if (nchanges < 0 || nevents < 0) { errno = EINVAL; return -1; }
    if (timeout != NULL && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L)) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&k->mu);
    int nout = 0;
    for (int i = 0; i < nchanges; i++) {
        const struct kevent *c = &changelist[i];
        int err = apply(k, c);
        if (err != 0 || (c->flags & EV_RECEIPT)) {
            if (nout == nevents) {
                if (err == 0) continue;
                pthread_mutex_unlock(&k->mu);
                errno = err;
                return -1;
            }
            struct kevent *o = &eventlist[nout++];
            *o = *c;
            o->flags = EV_ERROR;
            o->data = err;
        }
    }
    if (nout > 0 || nevents == 0) { pthread_mutex_unlock(&k->mu); return nout; }
    uint64_t gen = ++k->gen;
    pthread_mutex_unlock(&k->mu);

    struct timespec deadline = {0, 0};
    if (timeout != NULL) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout->tv_sec > INT_MAX ? INT_MAX : timeout->tv_sec;
        deadline.tv_nsec += timeout->tv_nsec;
        if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    }
    struct epoll_event evs[1024];
    for (;;) {
        pthread_mutex_lock(&k->mu);
        nout += collect_pending(k, &eventlist[nout], nevents - nout, gen);
        pthread_mutex_unlock(&k->mu);
        if (nout == nevents) return nout;
        int ms = nout > 0 ? 0 : ms_until(timeout == NULL ? NULL : &deadline);
        int room = nevents - nout, max = room < 1024 ? room : 1024;
        int n = epoll_wait(k->epfd, evs, max, ms);
        if (n < 0) return nout > 0 ? nout : -1; /* errno: EINTR after every change was applied, as on FreeBSD */
        pthread_mutex_lock(&k->mu);
        for (int i = 0; i < n && nout < nevents; i++) {
            uint64_t d = evs[i].data.u64;
            struct kevent *o = &eventlist[nout];
            switch (d & TAG_MASK) {
                case USER_TAG: nout += emit_user(k, d & ~TAG_MASK, o); break;
                case PROC_TAG: nout += emit_proc(k, d & ~TAG_MASK, o, gen); break;
                case SIG_TAG: nout += emit_signals(k, o, nevents - nout, gen); break;
                case VNODE_TAG: {
                    struct knote **slot = serial_slot(&k->vnodes, d & ~TAG_MASK);
                    if (*slot != NULL) nout += emit_vnode(k, slot, o, nevents - nout, gen);
                    break;
                }
                default: {
                    struct fdent *e = *fd_slot(k, (int) d);
                    if (e != NULL) nout += emit_fd(k, e, evs[i].events, o, nevents - nout);
                }
            }
        }
        pthread_mutex_unlock(&k->mu);
        /* Woken by nothing reportable (a knote consumed or deleted meanwhile, a signal already
         * counted): wait on for the time left, as a kqueue would not have woken. */
        if (nout > 0 || n == 0 || ms == 0) return nout;
    }
}
