// The process side of engram's sandbox: everything between fork and execve, which Swift cannot do safely in a
// multi-threaded process. The child code below calls only system calls and string helpers of its own (no malloc,
// no stdio), because another thread of the parent may have held a lock at the moment of the clone.
//
// Namespaces mode (the sandbox):
//   engram ──clone(NEWUSER|NEWPID|NEWNS|NEWNET|NEWIPC|NEWUTS|NEWCGROUP)──▶ init (pid 1 of the new namespaces)
//   init builds a new root (a small tmpfs holding read-only binds of the allowed host paths, a minimal /dev, its own
//   /proc and a size-limited tmpfs as /tmp and cwd), pivots into it, then forks the job, which sets its rlimits,
//   drops every capability, sets no_new_privs, installs the seccomp filter and execs the interpreter. When the job
//   exits, init reports its status and exits; the kernel then kills everything left in the PID namespace, so no
//   daemonised child outlives the run, and the mount namespace (with its tmpfs) is freed with the last process.
//   The parent kills init at the wall limit or when the output passes its cap, which has the same effect.
#define _GNU_SOURCE 1
#include "CEngramSandbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __linux__

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct engram_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

// Where setup failed, reported by the child to the parent as a fixed-size record.
enum stage {
    STAGE_NONE = 0, STAGE_SYNC, STAGE_IDS, STAGE_PRIVATE, STAGE_ROOT_TMPFS, STAGE_BIND, STAGE_READONLY, STAGE_HIDE,
    STAGE_DEV, STAGE_TMP, STAGE_PIVOT, STAGE_FILES, STAGE_FORK, STAGE_RLIMIT, STAGE_CAPS, STAGE_NNP, STAGE_SECCOMP,
    STAGE_EXEC, STAGE_CWD, STAGE_STDIO,
};

static const char *stage_name(int stage) {
    switch (stage) {
    case STAGE_SYNC: return "waiting for the parent";
    case STAGE_IDS: return "switching to the job's uid/gid";
    case STAGE_PRIVATE: return "making the mount namespace private";
    case STAGE_ROOT_TMPFS: return "mounting the new root tmpfs";
    case STAGE_BIND: return "binding a read-only host path";
    case STAGE_READONLY: return "making a bind read-only";
    case STAGE_HIDE: return "hiding a path";
    case STAGE_DEV: return "building /dev";
    case STAGE_TMP: return "mounting the private temp dir";
    case STAGE_PIVOT: return "pivoting into the new root";
    case STAGE_FILES: return "writing the job's files";
    case STAGE_FORK: return "starting the job";
    case STAGE_RLIMIT: return "setting rlimits";
    case STAGE_CAPS: return "dropping capabilities";
    case STAGE_NNP: return "setting no_new_privs";
    case STAGE_SECCOMP: return "installing the seccomp filter";
    case STAGE_EXEC: return "executing the interpreter";
    case STAGE_CWD: return "entering the temp dir";
    case STAGE_STDIO: return "redirecting stdio";
    default: return "setup";
    }
}

struct setup_error {
    int stage;
    int err;
    char detail[240];
};

struct job_status {
    int wait_status;
    long maxrss_kb;
    double cpu_ms;
};

// ---- child-safe string helpers (no malloc, no locale) ----

static size_t s_len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static void s_copy(char *dst, size_t cap, const char *a, const char *b) {
    size_t n = 0;
    for (const char *p = a; p && *p && n + 1 < cap; p++) dst[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < cap; p++) dst[n++] = *p;
    dst[n] = 0;
}

static void report(int fd, int stage, int err, const char *detail) {
    struct setup_error e;
    memset(&e, 0, sizeof e);
    e.stage = stage;
    e.err = err;
    if (detail) s_copy(e.detail, sizeof e.detail, detail, NULL);
    ssize_t w = write(fd, &e, sizeof e);
    (void)w;
}

static void die(int fd, int stage, const char *detail) {
    report(fd, stage, errno, detail);
    _exit(127);
}

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

// mkdir -p of an absolute path; returns 0 or -1 with errno.
static int mkdir_p(const char *path, mode_t mode) {
    char buf[4096];
    size_t n = s_len(path);
    if (n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, mode) != 0 && errno != EEXIST) return -1;
            buf[i] = c;
        }
    }
    return 0;
}

static int parent_dir_p(const char *path) {
    char buf[4096];
    size_t n = s_len(path);
    if (n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    while (n > 0 && buf[n] != '/') n--;
    if (n == 0) return 0;
    buf[n] = 0;
    return mkdir_p(buf, 0755);
}

// ---- raw system calls for the cloned child ----
// A child of a raw clone() is a copy of a multi-threaded process in which only one thread exists. glibc does not know
// that: its setresuid/setgroups broadcast to every thread it remembers and wait for them, and its fork() takes locks
// (malloc's, stdio's) that another thread may have held at the moment of the clone. Either can hang init forever, so
// the child makes these calls directly.
static int raw_setgroups_none(void) { return (int)syscall(SYS_setgroups, 0, NULL); }
static int raw_setresgid(gid_t g) { return (int)syscall(SYS_setresgid, g, g, g); }
static int raw_setresuid(uid_t u) { return (int)syscall(SYS_setresuid, u, u, u); }
static pid_t raw_fork(void) { return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0); }

// ---- seccomp ----

#if defined(__x86_64__)
#define ENGRAM_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ENGRAM_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define NS_CLONE_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

// System calls a Python job never needs and that widen the kernel's attack surface or could undo the sandbox.
static const int denied_syscalls[] = {
#ifdef __NR_ptrace
    __NR_ptrace,
#endif
#ifdef __NR_process_vm_readv
    __NR_process_vm_readv, __NR_process_vm_writev,
#endif
    __NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot,
#ifdef __NR_open_tree
    __NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
#endif
#ifdef __NR_mount_setattr
    __NR_mount_setattr,
#endif
#ifdef __NR_kexec_load
    __NR_kexec_load,
#endif
#ifdef __NR_kexec_file_load
    __NR_kexec_file_load,
#endif
    __NR_bpf, __NR_keyctl, __NR_add_key, __NR_request_key, __NR_perf_event_open,
    __NR_init_module, __NR_finit_module, __NR_delete_module, __NR_unshare, __NR_setns,
#ifdef __NR_userfaultfd
    __NR_userfaultfd,
#endif
    __NR_open_by_handle_at, __NR_name_to_handle_at, __NR_reboot, __NR_swapon, __NR_swapoff, __NR_syslog,
    __NR_acct, __NR_settimeofday, __NR_clock_settime, __NR_clock_adjtime, __NR_adjtimex, __NR_quotactl,
#ifdef __NR_iopl
    __NR_iopl, __NR_ioperm,
#endif
#ifdef __NR_io_uring_setup
    __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
#endif
    __NR_personality, __NR_vhangup, __NR_sethostname, __NR_setdomainname,
#ifdef __NR_pidfd_getfd
    __NR_pidfd_getfd,
#endif
#ifdef __NR_fanotify_init
    __NR_fanotify_init,
#endif
#ifdef __NR_kcmp
    __NR_kcmp,
#endif
#ifdef __NR_lookup_dcookie
    __NR_lookup_dcookie,
#endif
#ifdef __NR_uselib
    __NR_uselib,
#endif
};

#define MAX_FILTER 160

static int install_seccomp(int weak) {
#ifdef ENGRAM_AUDIT_ARCH
    struct sock_filter f[MAX_FILTER];
    int n = 0;
#define EMIT(code, k, jt, jf) do { struct sock_filter ins = BPF_JUMP(code, k, jt, jf); f[n++] = ins; } while (0)
#define STMT(code, k) do { struct sock_filter ins = BPF_STMT(code, k); f[n++] = ins; } while (0)
    const unsigned int deny = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
    const unsigned int nosys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);

    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, ENGRAM_AUDIT_ARCH, 1, 0);
    STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
    // The x32 ABI reaches the same kernel entry points under other numbers.
    EMIT(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
    STMT(BPF_RET | BPF_K, deny);
#endif
    for (size_t i = 0; i < sizeof denied_syscalls / sizeof denied_syscalls[0]; i++) {
        EMIT(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied_syscalls[i], 0, 1);
        STMT(BPF_RET | BPF_K, deny);
    }
    if (weak) {
        // Without a PID namespace the process group is what the runner kills: the job may not leave it.
        EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsid, 0, 1);
        STMT(BPF_RET | BPF_K, deny);
        EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_setpgid, 0, 1);
        STMT(BPF_RET | BPF_K, deny);
    }
#ifdef __NR_clone3
    // clone3 passes its flags in memory, which a filter cannot read: make libc fall back to clone.
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
    STMT(BPF_RET | BPF_K, nosys);
#endif
    // clone: threads and forks yes, new namespaces no (flags are the first argument on x86-64 and arm64).
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    EMIT(BPF_JMP | BPF_JSET | BPF_K, NS_CLONE_FLAGS, 0, 1);
    STMT(BPF_RET | BPF_K, deny);
    STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    // socket: no raw sockets, no packet sockets, no netlink.
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 8);
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, AF_PACKET, 5, 0);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 4, 0);
    STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]));
    STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, SOCK_RAW, 1, 0);
    STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    STMT(BPF_RET | BPF_K, deny);
    STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#undef EMIT
#undef STMT
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = f};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#else
    (void)weak;
    errno = ENOSYS;
    return -1;
#endif
}

// ---- the job's last steps before exec (both modes) ----

static void set_limit(int fd, int resource, rlim_t soft, rlim_t hard) {
    struct rlimit r = {soft, hard};
    if (setrlimit(resource, &r) != 0) die(fd, STAGE_RLIMIT, NULL);
}

static void drop_capabilities(int fd) {
    // The bounding set first (needs CAP_SETPCAP, which a namespace creator holds), then the sets themselves.
    for (int cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && errno != EPERM) die(fd, STAGE_CAPS, "bounding set");
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct { uint32_t version; int pid; } header = {0x20080522, 0};  // _LINUX_CAPABILITY_VERSION_3
    struct { uint32_t effective, permitted, inheritable; } data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) != 0) die(fd, STAGE_CAPS, "capset");
}

static void reset_signals(void);

static void exec_job(const engram_sandbox_config *c, int errfd, int outfd, int errout, int weak) {
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) die(errfd, STAGE_STDIO, "/dev/null");
    if (dup2(devnull, 0) < 0 || dup2(outfd, 1) < 0 || dup2(errout, 2) < 0) die(errfd, STAGE_STDIO, NULL);
    // Every other descriptor closes, except the setup-error pipe, which closes on exec.
    for (int fd = 3; fd < 1024; fd++) if (fd != errfd) close(fd);
    syscall(SYS_close_range, 1024, ~0U, 0);

    reset_signals();
    const char *cwd = weak ? c->host_workdir : "/tmp";
    if (chdir(cwd) != 0) die(errfd, STAGE_CWD, cwd);

    rlim_t cpu = c->cpu_seconds ? c->cpu_seconds : 1;
    set_limit(errfd, RLIMIT_CPU, cpu, cpu + 1);
    set_limit(errfd, RLIMIT_AS, c->memory_bytes, c->memory_bytes);
    set_limit(errfd, RLIMIT_FSIZE, c->max_written_bytes, c->max_written_bytes);
    set_limit(errfd, RLIMIT_NOFILE, c->max_open_files, c->max_open_files);
    set_limit(errfd, RLIMIT_NPROC, c->max_processes, c->max_processes);
    set_limit(errfd, RLIMIT_CORE, 0, 0);
    set_limit(errfd, RLIMIT_MEMLOCK, 0, 0);
    set_limit(errfd, RLIMIT_MSGQUEUE, 0, 0);

    if (!weak) drop_capabilities(errfd);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die(errfd, STAGE_NNP, NULL);
    if (install_seccomp(weak) != 0) die(errfd, STAGE_SECCOMP, NULL);
    execve(c->argv[0], (char *const *)c->argv, (char *const *)c->envp);
    die(errfd, STAGE_EXEC, c->argv[0]);
}

// ---- namespaces mode: init ----

struct init_context {
    const engram_sandbox_config *config;
    int sync_read;    // parent → init: the id maps are written
    int err_write;    // setup errors
    int status_write; // the job's wait status
    int out_write;
    int errout_write;
    int drop_groups;  // the caller is root: clear supplementary groups
    // Parent-prepared path buffers (no malloc in the child).
    char root[64];
};

#define NEW_ROOT "/tmp"

// Makes a bind mount (and everything under it) read-only, nosuid, nodev.
static int make_readonly(const char *path) {
    struct engram_mount_attr attr = {MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0, 0};
    if (syscall(SYS_mount_setattr, -1, path, AT_RECURSIVE, &attr, sizeof attr) == 0) return 0;
    if (errno != ENOSYS) return -1;
    // Kernels before 5.12: the top mount only, keeping the flags the kernel locks on a bind.
    return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

static void bind_readonly(struct init_context *x, const char *host, int source_fd) {
    char target[4096];
    s_copy(target, sizeof target, NEW_ROOT, host);
    struct stat st;
    if (fstatat(source_fd, "", &st, AT_EMPTY_PATH) != 0) die(x->err_write, STAGE_BIND, host);
    if (S_ISDIR(st.st_mode)) {
        if (mkdir_p(target, 0755) != 0) die(x->err_write, STAGE_BIND, host);
    } else {
        if (parent_dir_p(target) != 0) die(x->err_write, STAGE_BIND, host);
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) die(x->err_write, STAGE_BIND, host);
        close(fd);
    }
    char source[64];
    char num[16];
    int v = source_fd, i = 15;
    num[i] = 0;
    do { num[--i] = (char)('0' + v % 10); v /= 10; } while (v > 0);
    s_copy(source, sizeof source, "/proc/self/fd/", num + i);
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) die(x->err_write, STAGE_BIND, host);
    if (make_readonly(target) != 0) die(x->err_write, STAGE_READONLY, host);
}

static void hide(struct init_context *x, const char *path) {
    char target[4096];
    s_copy(target, sizeof target, NEW_ROOT, path);
    struct stat st;
    if (lstat(target, &st) != 0) return;  // not in the view: nothing to hide
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,nr_inodes=2,mode=000") != 0)
            die(x->err_write, STAGE_HIDE, path);
    } else if (S_ISLNK(st.st_mode)) {
        return;  // a symlink points into the view, whose targets are hidden on their own
    } else {
        if (mount(NEW_ROOT "/.engram-empty", target, NULL, MS_BIND, NULL) != 0) die(x->err_write, STAGE_HIDE, path);
        if (make_readonly(target) != 0) die(x->err_write, STAGE_HIDE, path);
    }
}

static void build_dev(struct init_context *x) {
    if (mkdir(NEW_ROOT "/dev", 0755) != 0) die(x->err_write, STAGE_DEV, "mkdir");
    if (mount("tmpfs", NEW_ROOT "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=0755") != 0)
        die(x->err_write, STAGE_DEV, "tmpfs");
    static const char *const nodes[] = {"null", "zero", "full", "random", "urandom"};
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        char host[64], target[128];
        s_copy(host, sizeof host, "/dev/", nodes[i]);
        s_copy(target, sizeof target, NEW_ROOT "/dev/", nodes[i]);
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) die(x->err_write, STAGE_DEV, host);
        close(fd);
        if (mount(host, target, NULL, MS_BIND, NULL) != 0) die(x->err_write, STAGE_DEV, host);
    }
    if (symlink("/proc/self/fd", NEW_ROOT "/dev/fd") != 0 || symlink("/proc/self/fd/0", NEW_ROOT "/dev/stdin") != 0 ||
        symlink("/proc/self/fd/1", NEW_ROOT "/dev/stdout") != 0 || symlink("/proc/self/fd/2", NEW_ROOT "/dev/stderr") != 0)
        die(x->err_write, STAGE_DEV, "symlinks");
    if (mount(NULL, NEW_ROOT "/dev", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=0755") != 0)
        die(x->err_write, STAGE_DEV, "read-only");
}

// Default dispositions and an empty mask: a handler engram installed must not run in init when the job signals it
// (init, as PID 1, receives only the signals it handles), and an ignored or blocked signal must not reach the job.
static void reset_signals(void) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static int init_main(void *arg) {
    struct init_context *x = arg;
    const engram_sandbox_config *c = x->config;
    int fd = x->err_write;
    reset_signals();

    // If engram dies, so does init, and with it the whole PID namespace. The sync read below catches a parent
    // that died before this line (its end of the pipe is then closed).
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    char go = 0;
    if (read(x->sync_read, &go, 1) != 1) { errno = EPIPE; die(fd, STAGE_SYNC, NULL); }

    // Nothing of engram's stays open here (its database, sockets): init is a copy of the engram process.
    for (int k = 3; k < 1024; k++) {
        if (k != x->err_write && k != x->status_write && k != x->out_write && k != x->errout_write) close(k);
    }
    syscall(SYS_close_range, 1024, ~0U, 0);

    if (x->drop_groups && raw_setgroups_none() != 0) die(fd, STAGE_IDS, "setgroups");
    if (raw_setresgid(c->job_gid) != 0) die(fd, STAGE_IDS, "setresgid");
    if (raw_setresuid(c->job_uid) != 0) die(fd, STAGE_IDS, "setresuid");
    // Init runs as the job's uid but holds a copy of engram's memory and environment: the job may not read them
    // through /proc/1 (environ, mem, fd).
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    // Open every source path before the new root's tmpfs covers /tmp (a source may live there).
    int source_fds[256];
    size_t nsources = c->readonly_count < 256 ? c->readonly_count : 256;
    for (size_t i = 0; i < nsources; i++) source_fds[i] = open(c->readonly_paths[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);

    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die(fd, STAGE_PRIVATE, NULL);
    if (mount("tmpfs", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=4096,mode=0755") != 0)
        die(fd, STAGE_ROOT_TMPFS, NULL);

    for (size_t i = 0; i < nsources; i++) {
        const char *host = c->readonly_paths[i];
        if (source_fds[i] < 0) continue;  // missing on this machine
        struct stat st;
        if (fstatat(source_fds[i], "", &st, AT_EMPTY_PATH) != 0) die(fd, STAGE_BIND, host);
        if (S_ISLNK(st.st_mode)) {
            // merged-/usr systems: /bin -> usr/bin and so on. Recreate the link; its target is bound on its own.
            char link[4096];
            ssize_t n = readlinkat(source_fds[i], "", link, sizeof link - 1);
            if (n < 0) die(fd, STAGE_BIND, host);
            link[n] = 0;
            char target[4096];
            s_copy(target, sizeof target, NEW_ROOT, host);
            if (parent_dir_p(target) != 0 || (symlink(link, target) != 0 && errno != EEXIST)) die(fd, STAGE_BIND, host);
            continue;
        }
        bind_readonly(x, host, source_fds[i]);
    }
    for (size_t i = 0; i < nsources; i++) if (source_fds[i] >= 0) close(source_fds[i]);

    int empty = open(NEW_ROOT "/.engram-empty", O_WRONLY | O_CREAT | O_CLOEXEC, 0);
    if (empty < 0) die(fd, STAGE_HIDE, "empty file");
    close(empty);
    for (size_t i = 0; i < c->hidden_count; i++) hide(x, c->hidden_paths[i]);

    build_dev(x);
    if (mkdir(NEW_ROOT "/proc", 0555) != 0) die(fd, STAGE_PIVOT, "/proc");
    // A procfs of the new PID namespace only (best effort: some container runtimes forbid it; the job then has none).
    mount("proc", NEW_ROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);

    // A read-only path under /tmp made this directory already; the private tmpfs covers it either way.
    if (mkdir(NEW_ROOT "/tmp", 0700) != 0 && errno != EEXIST) die(fd, STAGE_TMP, "mkdir");
    char opts[160];
    {
        // size=<bytes>,nr_inodes=16384,mode=0700,uid=<uid>,gid=<gid>
        char num[3][24];
        uint64_t vals[3] = {c->max_written_bytes, c->job_uid, c->job_gid};
        for (int k = 0; k < 3; k++) {
            int i = 23;
            uint64_t v = vals[k];
            num[k][i] = 0;
            do { num[k][--i] = (char)('0' + v % 10); v /= 10; } while (v > 0);
            memmove(num[k], num[k] + i, 24 - (size_t)i);
        }
        char a[80], b[80];
        s_copy(a, sizeof a, "size=", num[0]);
        s_copy(b, sizeof b, a, ",nr_inodes=16384,mode=0700,uid=");
        s_copy(a, sizeof a, b, num[1]);
        s_copy(b, sizeof b, a, ",gid=");
        s_copy(opts, sizeof opts, b, num[2]);
    }
    if (mount("tmpfs", NEW_ROOT "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0) die(fd, STAGE_TMP, opts);

    if (chdir(NEW_ROOT) != 0) die(fd, STAGE_PIVOT, "chdir");
    if (syscall(SYS_pivot_root, ".", ".") != 0) die(fd, STAGE_PIVOT, "pivot_root");
    if (umount2(".", MNT_DETACH) != 0) die(fd, STAGE_PIVOT, "detach the old root");
    if (chdir("/") != 0) die(fd, STAGE_PIVOT, "chdir /");
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=4096,mode=0755") != 0)
        die(fd, STAGE_PIVOT, "read-only root");
    sethostname("sandbox", 7);

    for (size_t i = 0; i < c->file_count; i++) {
        char path[4096];
        s_copy(path, sizeof path, "/tmp/", c->files[i].name);
        int f = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (f < 0 || write_all(f, c->files[i].data, c->files[i].length) != 0) die(fd, STAGE_FILES, c->files[i].name);
        close(f);
    }

    pid_t job = raw_fork();
    if (job < 0) die(fd, STAGE_FORK, NULL);
    if (job == 0) {
        close(x->status_write);
        exec_job(c, fd, x->out_write, x->errout_write, 0);
    }
    close(x->out_write);
    close(x->errout_write);

    // Reap everything (orphans re-parent to init) until the job itself is done.
    struct job_status js = {0, 0, 0};
    for (;;) {
        int status = 0;
        struct rusage ru;
        pid_t p = wait4(-1, &status, 0, &ru);
        if (p < 0) { if (errno == EINTR) continue; break; }
        if (p == job) {
            js.wait_status = status;
            js.maxrss_kb = ru.ru_maxrss;
            js.cpu_ms = (double)ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + (double)ru.ru_stime.tv_sec * 1e3 +
                        ru.ru_stime.tv_usec / 1e3;
            break;
        }
    }
    ssize_t w = write(x->status_write, &js, sizeof js);
    (void)w;
    _exit(0);  // the kernel now kills whatever is left in the namespace
}

// ---- parent side ----

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int write_file(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = write_all(fd, data, strlen(data));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

struct buffer {
    char *data;
    size_t length, capacity;
};

static int buffer_append(struct buffer *b, const char *data, size_t n) {
    if (b->length + n > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096;
        while (cap < b->length + n) cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) return -1;
        b->data = p;
        b->capacity = cap;
    }
    memcpy(b->data + b->length, data, n);
    b->length += n;
    return 0;
}

static void set_reason(engram_sandbox_result *r, const char *a, const char *b, const char *c) {
    r->reason[0] = 0;
    strncat(r->reason, a ? a : "", sizeof r->reason - 1);
    strncat(r->reason, b ? b : "", sizeof r->reason - 1 - strlen(r->reason));
    strncat(r->reason, c ? c : "", sizeof r->reason - 1 - strlen(r->reason));
}

static void format_setup_error(engram_sandbox_result *r, const struct setup_error *e) {
    r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
    r->setup_errno = e->err;
    char detail[300] = "";
    if (e->detail[0]) { strcat(detail, " ("); strncat(detail, e->detail, 240); strcat(detail, ")"); }
    set_reason(r, stage_name(e->stage), detail, "");
    strncat(r->reason, ": ", sizeof r->reason - 1 - strlen(r->reason));
    strncat(r->reason, strerror(e->err), sizeof r->reason - 1 - strlen(r->reason));
}

// Reads stdout/stderr until the process is gone, the wall limit passes or the output passes its cap.
// Returns the outcome the limits imposed, or -1 if the job ended on its own.
static int supervise(const engram_sandbox_config *c, pid_t pid, pid_t kill_target, int out, int err, struct buffer *bo,
                     struct buffer *be, double start, int *wait_status, struct rusage *ru) {
    int imposed = -1;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    double deadline = start + c->wall_seconds * 1e3;
    int reaped = 0;
    fcntl(out, F_SETFL, O_NONBLOCK);
    fcntl(err, F_SETFL, O_NONBLOCK);
    int open_out = 1, open_err = 1;
    double drain_deadline = 0;
    char chunk[65536];
    while (open_out || open_err || !reaped) {
        struct pollfd p[3];
        int np = 0, io = -1, ip = -1;
        if (open_out) { io = np; p[np].fd = out; p[np].events = POLLIN; p[np++].revents = 0; }
        if (open_err) { p[np].fd = err; p[np].events = POLLIN; p[np++].revents = 0; }
        if (!reaped && pidfd >= 0) { ip = np; p[np].fd = pidfd; p[np].events = POLLIN; p[np++].revents = 0; }
        double now = now_ms();
        double until = reaped ? drain_deadline : deadline;
        int timeout = (int)(until - now);
        if (timeout < 0) timeout = 0;
        if (pidfd < 0 && !reaped && timeout > 10) timeout = 10;  // no pidfd: look at the process every 10 ms
        int rc = poll(p, (nfds_t)np, timeout);
        if (rc < 0 && errno != EINTR) break;
        for (int k = 0; k < np && rc > 0; k++) {
            if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (k == ip) continue;
            int fd = p[k].fd;
            struct buffer *b = (k == io) ? bo : be;
            ssize_t n = read(fd, chunk, sizeof chunk);
            if (n > 0) {
                uint64_t total = bo->length + be->length + (size_t)n;
                if (total > c->max_output_bytes) {
                    size_t room = (size_t)(c->max_output_bytes - (bo->length + be->length));
                    buffer_append(b, chunk, room);
                    if (imposed < 0) imposed = ENGRAM_SANDBOX_OUTPUT_LIMIT;
                    kill(kill_target, SIGKILL);
                    open_out = open_err = 0;  // stop reading; the pipes close with the processes
                } else {
                    buffer_append(b, chunk, (size_t)n);
                }
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                if (k == io) open_out = 0; else open_err = 0;
            }
        }
        if (!reaped) {
            int status = 0;
            pid_t w = wait4(pid, &status, WNOHANG, ru);
            if (w == pid) {
                reaped = 1;
                *wait_status = status;
                // Every writer is gone once the namespace's init is reaped; a little time to drain what is left.
                drain_deadline = now_ms() + 1000;
            } else if (now_ms() >= deadline) {
                if (imposed < 0) imposed = ENGRAM_SANDBOX_WALL_TIMEOUT;
                kill(kill_target, SIGKILL);
                deadline = now_ms() + 60e3;  // the kill is certain; wait for it
            }
        } else if (now_ms() >= drain_deadline) {
            break;
        }
    }
    if (pidfd >= 0) close(pidfd);
    return imposed;
}

static void fill_exit(engram_sandbox_result *r, int status) {
    if (WIFEXITED(status)) {
        r->outcome = ENGRAM_SANDBOX_EXITED;
        r->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r->outcome = ENGRAM_SANDBOX_SIGNALED;
        r->term_signal = WTERMSIG(status);
        r->exit_code = 128 + r->term_signal;
    }
}

static int make_pipe(int p[2]) { return pipe2(p, O_CLOEXEC); }

static void close_pair(int p[2]) {
    if (p[0] >= 0) close(p[0]);
    if (p[1] >= 0) close(p[1]);
    p[0] = p[1] = -1;
}

static int read_setup_error(int fd, engram_sandbox_result *r) {
    struct setup_error e;
    ssize_t n = read(fd, &e, sizeof e);
    if (n == (ssize_t)sizeof e) { format_setup_error(r, &e); return 1; }
    return 0;
}

static int run_namespaces(const engram_sandbox_config *c, engram_sandbox_result *r) {
    int sync[2] = {-1, -1}, errp[2] = {-1, -1}, statp[2] = {-1, -1}, outp[2] = {-1, -1}, errout[2] = {-1, -1};
    if (make_pipe(sync) || make_pipe(errp) || make_pipe(statp) || make_pipe(outp) || make_pipe(errout)) {
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = errno;
        set_reason(r, "creating pipes: ", strerror(errno), "");
        close_pair(sync); close_pair(errp); close_pair(statp); close_pair(outp); close_pair(errout);
        return 0;
    }
    struct init_context x;
    memset(&x, 0, sizeof x);
    x.config = c;
    x.sync_read = sync[0];
    x.err_write = errp[1];
    x.status_write = statp[1];
    x.out_write = outp[1];
    x.errout_write = errout[1];
    x.drop_groups = geteuid() == 0;

    const size_t stack_size = 512 * 1024;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = errno;
        set_reason(r, "allocating the init stack: ", strerror(errno), "");
        close_pair(sync); close_pair(errp); close_pair(statp); close_pair(outp); close_pair(errout);
        return 0;
    }
    double start = now_ms();
    pid_t pid = clone(init_main, stack + stack_size, NS_CLONE_FLAGS | SIGCHLD, &x);
    int clone_errno = errno;
    munmap(stack, stack_size);
    close(sync[0]); close(errp[1]); close(statp[1]); close(outp[1]); close(errout[1]);
    if (pid < 0) {
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = clone_errno;
        set_reason(r, "creating the namespaces (user, PID, mount, network, IPC, UTS): ", strerror(clone_errno), "");
        close(sync[1]); close(errp[0]); close(statp[0]); close(outp[0]); close(errout[0]);
        return 0;
    }

    // The id maps: the job's ids inside are the same numbers outside. Root may map any id (we choose an
    // unprivileged one); anyone else may map only their own, after giving up setgroups.
    char path[64], line[80];
    int maps_ok = 1;
    int map_errno = 0;
    {
        char num[32];
        snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
        if (geteuid() != 0 && write_file(path, "deny") != 0) { maps_ok = 0; map_errno = errno; }
        snprintf(num, sizeof num, "%u", c->job_uid);
        snprintf(line, sizeof line, "%s %s 1\n", num, num);
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
        if (maps_ok && write_file(path, line) != 0) { maps_ok = 0; map_errno = errno; }
        snprintf(num, sizeof num, "%u", c->job_gid);
        snprintf(line, sizeof line, "%s %s 1\n", num, num);
        snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
        if (maps_ok && write_file(path, line) != 0) { maps_ok = 0; map_errno = errno; }
    }
    if (!maps_ok) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = map_errno;
        set_reason(r, "writing the user namespace's id maps: ", strerror(map_errno), "");
        close(sync[1]); close(errp[0]); close(statp[0]); close(outp[0]); close(errout[0]);
        return 0;
    }
    char go = 1;
    ssize_t w = write(sync[1], &go, 1);
    (void)w;
    close(sync[1]);

    struct buffer bo = {0}, be = {0};
    int wait_status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int imposed = supervise(c, pid, pid, outp[0], errout[0], &bo, &be, start, &wait_status, &ru);
    r->duration_ms = now_ms() - start;
    close(outp[0]);
    close(errout[0]);

    struct job_status js;
    ssize_t n = read(statp[0], &js, sizeof js);
    close(statp[0]);
    int have_status = n == (ssize_t)sizeof js;
    int setup_failed = read_setup_error(errp[0], r);
    close(errp[0]);

    r->stdout_data = bo.data; r->stdout_length = bo.length;
    r->stderr_data = be.data; r->stderr_length = be.length;
    r->peak_memory_kb = have_status && js.maxrss_kb > 0 ? js.maxrss_kb : ru.ru_maxrss;
    if (have_status) r->cpu_ms = js.cpu_ms;
    if (setup_failed) return 0;
    if (imposed >= 0) { r->outcome = imposed; return 0; }
    if (have_status) fill_exit(r, js.wait_status);
    else {
        // init ended without a report: it was killed from outside (or by the kernel).
        fill_exit(r, wait_status);
        if (r->outcome == ENGRAM_SANDBOX_EXITED) {
            r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
            set_reason(r, "the sandbox's init exited without reporting the job", "", "");
        }
    }
    return 0;
}

// ---- rlimits-only mode (weaker, opt-in) ----

static int run_rlimits_only(const engram_sandbox_config *c, engram_sandbox_result *r) {
    int errp[2] = {-1, -1}, outp[2] = {-1, -1}, errout[2] = {-1, -1};
    if (!c->host_workdir || make_pipe(errp) || make_pipe(outp) || make_pipe(errout)) {
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = c->host_workdir ? errno : EINVAL;
        set_reason(r, "preparing the run: ", c->host_workdir ? strerror(errno) : "no work directory", "");
        close_pair(errp); close_pair(outp); close_pair(errout);
        return 0;
    }
    double start = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        r->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
        r->setup_errno = errno;
        set_reason(r, "fork: ", strerror(errno), "");
        close_pair(errp); close_pair(outp); close_pair(errout);
        return 0;
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        // Root gives the job an unprivileged identity (the caller made the work directory its own); anyone else
        // runs it as themselves.
        if (geteuid() == 0) {
            if (raw_setgroups_none() != 0) die(errp[1], STAGE_IDS, "setgroups");
            if (raw_setresgid(c->job_gid) != 0) die(errp[1], STAGE_IDS, "setresgid");
            if (raw_setresuid(c->job_uid) != 0) die(errp[1], STAGE_IDS, "setresuid");
        }
        for (size_t i = 0; i < c->file_count; i++) {
            char p[4096];
            s_copy(p, sizeof p, c->host_workdir, "/");
            char q[4096];
            s_copy(q, sizeof q, p, c->files[i].name);
            int f = open(q, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (f < 0 || write_all(f, c->files[i].data, c->files[i].length) != 0) die(errp[1], STAGE_FILES, c->files[i].name);
            close(f);
        }
        exec_job(c, errp[1], outp[1], errout[1], 1);
    }
    setpgid(pid, pid);  // also from here, so the group exists before any kill
    close(errp[1]); close(outp[1]); close(errout[1]);
    struct buffer bo = {0}, be = {0};
    int wait_status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int imposed = supervise(c, pid, -pid, outp[0], errout[0], &bo, &be, start, &wait_status, &ru);
    // Whatever the job left behind in its group (it cannot leave it: setsid/setpgid are denied), and wait until the
    // group is gone, so no process of the run is alive when the result is returned.
    kill(-pid, SIGKILL);
    for (double until = now_ms() + 2000; now_ms() < until;) {
        if (kill(-pid, 0) != 0 && errno == ESRCH) break;
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    r->duration_ms = now_ms() - start;
    close(outp[0]); close(errout[0]);
    int setup_failed = read_setup_error(errp[0], r);
    close(errp[0]);
    r->stdout_data = bo.data; r->stdout_length = bo.length;
    r->stderr_data = be.data; r->stderr_length = be.length;
    r->peak_memory_kb = ru.ru_maxrss;
    r->cpu_ms = (double)ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + (double)ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
    if (setup_failed) return 0;
    if (imposed >= 0) { r->outcome = imposed; return 0; }
    fill_exit(r, wait_status);
    return 0;
}

int engram_sandbox_run(const engram_sandbox_config *config, engram_sandbox_result *result) {
    if (!config || !result || !config->argv || !config->argv[0] || !config->envp) return -1;
    memset(result, 0, sizeof *result);
    for (size_t i = 0; i < config->file_count; i++) {
        if (!config->files[i].name || !config->files[i].name[0] || strchr(config->files[i].name, '/')) return -1;
    }
    // A job killed mid-write must not take engram down with SIGPIPE on a closed pipe.
    signal(SIGPIPE, SIG_IGN);
    if (config->isolation == ENGRAM_SANDBOX_RLIMITS_ONLY) return run_rlimits_only(config, result);
    return run_namespaces(config, result);
}

#else  // not Linux

int engram_sandbox_run(const engram_sandbox_config *config, engram_sandbox_result *result) {
    if (!config || !result) return -1;
    memset(result, 0, sizeof *result);
    result->outcome = ENGRAM_SANDBOX_SETUP_FAILED;
    result->setup_errno = ENOSYS;
    strncpy(result->reason, "this platform has no engram sandbox yet (Linux namespaces only)", sizeof result->reason - 1);
    return 0;
}

#endif

void engram_sandbox_result_free(engram_sandbox_result *result) {
    if (!result) return;
    free(result->stdout_data);
    free(result->stderr_data);
    result->stdout_data = result->stderr_data = NULL;
    result->stdout_length = result->stderr_length = 0;
}
