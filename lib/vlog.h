/* vlog: per-module logging to the console, a log file and syslog.
 *
 * Each .c file that logs says VLOG_DEFINE_THIS_MODULE(name) once; its
 * messages then carry that module name and obey that module's level for
 * each destination.  Levels and destinations follow Open vSwitch:
 *   -vMODULE:DESTINATION:LEVEL on the command line (any part may be
 *   omitted or "ANY"), "vlog/set" and "vlog/list" over unixctl.
 * Destinations: console (stderr), syslog, file.  Levels: off, emer, err,
 * warn, info, dbg.  Defaults as Open vSwitch: console warn, syslog err,
 * file info (the file only once one is set).
 * Log line format (file and console):
 *   2026-11-22T03:21:25.123Z|00001|module|INFO|message
 * Thread-safe: PMD threads may log. */
#ifndef XVS_VLOG_H
#define XVS_VLOG_H 1

#include <stdbool.h>
#include "util.h"

enum vlog_level { VLL_OFF, VLL_EMER, VLL_ERR, VLL_WARN, VLL_INFO, VLL_DBG, VLL_N_LEVELS };
enum vlog_destination { VLF_SYSLOG, VLF_CONSOLE, VLF_FILE, VLF_N_DESTINATIONS };

struct vlog_module {
    const char *name;
    int levels[VLF_N_DESTINATIONS];
    int min_level;                  /* Max of 'levels': quick filter. */
    struct vlog_module *next;       /* All modules, for vlog/list. */
};

void vlog_register_module(struct vlog_module *);

#define VLOG_DEFINE_THIS_MODULE(NAME)                                       \
    static struct vlog_module this_module = {                               \
        #NAME, { VLL_ERR, VLL_WARN, VLL_INFO }, VLL_INFO, NULL };           \
    __attribute__((constructor)) static void                                \
    vlog_init_module_##NAME(void) { vlog_register_module(&this_module); }

void vlog(const struct vlog_module *, enum vlog_level, const char *fmt, ...)
    XVS_PRINTF(3, 4);
bool vlog_is_enabled(const struct vlog_module *, enum vlog_level);

#define VLOG_EMER(...) vlog(&this_module, VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...)  vlog(&this_module, VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) vlog(&this_module, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) vlog(&this_module, VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...)  vlog(&this_module, VLL_DBG, __VA_ARGS__)

/* Applies one "-v" argument ("MODULE:DEST:LEVEL", any order, parts
 * optional) or one "vlog/set" argument.  Returns NULL on success, else a
 * malloc'd error message. */
char *vlog_set_levels_from_string(const char *);
/* Opens (or with NULL, reopens the current) log file; NULL file name with
 * no current file means the default "$XVS_LOGDIR/PROGRAM.log".  Returns 0
 * or a positive errno. */
int vlog_set_log_file(const char *file_name);
/* Appends the "vlog/list" table (as Open vSwitch prints it). */
void vlog_list(struct ds *);
/* Registers vlog/set, vlog/list and vlog/reopen with the unixctl server. */
void vlog_register_unixctl(void);

#endif
