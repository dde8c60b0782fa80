#ifndef CENGRAM_SANDBOX_H
#define CENGRAM_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

/// How a job is isolated. Namespaces is the only full sandbox; rlimits-only is a weaker mode for kernels that
/// forbid unprivileged namespaces, used only when the caller asks for it.
enum engram_sandbox_isolation {
    ENGRAM_SANDBOX_NAMESPACES = 0,
    ENGRAM_SANDBOX_RLIMITS_ONLY = 1,
};

/// How a run ended, before the Swift side names it.
enum engram_sandbox_outcome {
    ENGRAM_SANDBOX_EXITED = 0,        ///< the job exited; see exit_code
    ENGRAM_SANDBOX_SIGNALED = 1,      ///< the job was killed by term_signal (CPU limit: SIGXCPU or SIGKILL)
    ENGRAM_SANDBOX_WALL_TIMEOUT = 2,  ///< the wall-clock limit passed and the whole tree was killed
    ENGRAM_SANDBOX_OUTPUT_LIMIT = 3,  ///< stdout + stderr passed max_output_bytes and the whole tree was killed
    ENGRAM_SANDBOX_SETUP_FAILED = 4,  ///< the sandbox could not be built; reason says where and why
};

/// A file placed in the job's private temp directory (its cwd) before it starts.
typedef struct {
    const char *name;  ///< a plain file name, no slash
    const char *data;
    size_t length;
} engram_sandbox_file;

typedef struct {
    const char *const *argv;  ///< NULL-terminated; argv[0] is the interpreter's absolute path
    const char *const *envp;  ///< NULL-terminated; the job's whole environment
    const engram_sandbox_file *files;
    size_t file_count;
    /// Host paths visible inside, read-only, at the same place (symlinks are recreated, missing paths skipped).
    const char *const *readonly_paths;
    size_t readonly_count;
    /// Paths inside the view hidden behind an empty mount (directories) or an empty file (files).
    const char *const *hidden_paths;
    size_t hidden_count;
    /// Rlimits-only mode: an existing empty host directory used as cwd (the caller creates and removes it).
    const char *host_workdir;
    int isolation;
    double wall_seconds;
    uint32_t cpu_seconds;
    uint64_t memory_bytes;
    uint32_t max_processes;
    uint64_t max_output_bytes;
    uint64_t max_written_bytes;
    uint32_t max_open_files;
    /// Namespaces mode: the uid/gid the job runs as inside, mapped to the same ids outside. When the caller is
    /// root these should name an unprivileged account (nobody); otherwise they must be the caller's own ids.
    uint32_t job_uid;
    uint32_t job_gid;
} engram_sandbox_config;

typedef struct {
    int outcome;
    int exit_code;
    int term_signal;
    char *stdout_data;  ///< malloc'd, not NUL-terminated; free with engram_sandbox_result_free
    size_t stdout_length;
    char *stderr_data;
    size_t stderr_length;
    double duration_ms;
    long peak_memory_kb;
    double cpu_ms;
    int setup_errno;
    char reason[512];
} engram_sandbox_result;

/// Runs one job to completion under the configured limits. Blocks for at most about wall_seconds. Returns 0 when
/// a result was produced (including setup failures, reported in the result), -1 only for invalid arguments.
int engram_sandbox_run(const engram_sandbox_config *config, engram_sandbox_result *result);

/// Frees the captured output of a result.
void engram_sandbox_result_free(engram_sandbox_result *result);

#endif
