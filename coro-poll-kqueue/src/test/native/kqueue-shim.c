/*
 * kqueue-over-epoll: a Linux library that exports kqueue(2) and kevent(2) with FreeBSD 12's
 * struct kevent (64 bytes), so that coro-poll-kqueue's binding and poller run their tests here.
 * Written from the kqueue(2) man page's semantics, for exactly what the poller and its tests use:
 *
 *   filters  EVFILT_READ, EVFILT_WRITE (an fd in epoll; both filters of one fd share its entry),
 *            EVFILT_USER (an eventfd per event)
 *   flags    EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT, EV_DISPATCH, EV_CLEAR (user
 *            events only), EV_RECEIPT; out: EV_ERROR (data = errno), EV_EOF (fflags = the
 *            socket's error)
 *   fflags   NOTE_TRIGGER and NOTE_FFNOP/FFAND/FFOR/FFCOPY for EVFILT_USER
 *
 * Semantics kept from FreeBSD's kern_event.c: every change is applied in order; a change that fails
 * (or carries EV_RECEIPT) yields an EV_ERROR entry and does not stop the others; when any entry was
 * made that way kevent returns them at once without waiting for events; with no room for an error
 * entry the call fails with that error; EINTR comes after every change was applied; a tv_nsec
 * outside [0, 1e9) is EINVAL; nevents == 0 never waits. A kqueue's knotes of an fd go when that
 * fd is closed: here, a knote whose fd now names another file (st_dev/st_ino differ) is dropped
 * before a change to that fd is applied.
 *
 * Also exported: kqshim_changes_applied() and kqshim_kevent_calls(), counters for the tests,
 * kqshim_install_noop_handler() for the EINTR test, and
 * close(), which releases a shim kqueue's state (its eventfds) before closing the fd and otherwise
 * is the plain system call; the binding binds close() from this library, so the
 * process's other close() calls keep libc's (the library is loaded RTLD_LOCAL, and libc precedes it
 * in the global scope anyway).
 *
 * Caveats: Linux's SO_ERROR is consumed when read, so after an EV_EOF with fflags the socket's next
 * read() sees end of stream where FreeBSD's would see the error. EV_CLEAR on fd filters,
 * EVFILT_SIGNAL, EVFILT_PROC, EVFILT_VNODE and EVFILT_TIMER are refused with EINVAL. Changes that
 * delete knotes of a kqueue while another thread waits on it are safe (events are looked up again
 * after the wait) but may be reported late by one call.
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
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

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

/* epoll data: an fd's number, or USER_TAG | the user knote's serial. */
#define USER_TAG (1ull << 63)
#define FD_BUCKETS 256

struct knote {
    uintptr_t ident;
    short filter;
    unsigned short flags;   /* EV_ONESHOT, EV_DISPATCH, EV_CLEAR as added */
    int disabled;
    void *udata;
    /* EVFILT_USER */
    unsigned int sfflags;
    int triggered;
    int evfd;
    uint64_t serial;
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
    struct knote *users;
    uint64_t next_serial;
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

static void free_user(struct knote *kn) {
    if (kn->evfd >= 0) sys_close(kn->evfd);
    free(kn);
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
        for (struct knote *kn = k->users, *n; kn != NULL; kn = n) { n = kn->next; free_user(kn); }
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
        free_user(kn);
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
        if (err != 0) { free_user(kn); return err; }
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

static int apply(struct kq *k, const struct kevent *c) {
    __atomic_add_fetch(&changes_applied, 1, __ATOMIC_SEQ_CST);
    switch (c->filter) {
        case EVFILT_READ:
        case EVFILT_WRITE: return apply_fd(k, c);
        case EVFILT_USER: return apply_user(k, c);
        default: return EINVAL; /* EVFILT_SIGNAL, _PROC, _VNODE, _TIMER: not emulated */
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
        free_user(kn);
    } else if (kn->flags & EV_DISPATCH) {
        kn->disabled = 1;
        user_epoll(k, kn, EPOLL_CTL_MOD);
    }
    return 1;
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
    pthread_mutex_unlock(&k->mu);

    int ms = -1;
    if (timeout != NULL) {
        long long t = (long long) timeout->tv_sec * 1000 + (timeout->tv_nsec + 999999) / 1000000;
        ms = t > INT_MAX ? INT_MAX : (int) t;
    }
    int max = nevents < 1024 ? nevents : 1024;
    struct epoll_event evs[1024];
    int n = epoll_wait(k->epfd, evs, max, ms);
    if (n < 0) return -1; /* errno: EINTR after every change was applied, as on FreeBSD */
    pthread_mutex_lock(&k->mu);
    for (int i = 0; i < n && nout < nevents; i++) {
        uint64_t d = evs[i].data.u64;
        if (d & USER_TAG) {
            nout += emit_user(k, d & ~USER_TAG, &eventlist[nout]);
        } else {
            struct fdent *e = *fd_slot(k, (int) d);
            if (e != NULL) nout += emit_fd(k, e, evs[i].events, &eventlist[nout], nevents - nout);
        }
    }
    pthread_mutex_unlock(&k->mu);
    return nout;
}
