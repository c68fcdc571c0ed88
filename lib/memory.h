/* memory: what the daemon holds, as Open vSwitch's "memory/show".
 *
 * Modules that hold many objects register a reporter with
 * memory_register(); when asked, each reporter adds its counts under short
 * keys ("rules", "ports", "ofconns", "megaflows", ...) with memory_add().
 * The same key from several reporters (one per bridge, say) is summed.
 * memory_show() prints one line of "key:count" pairs sorted by key, the
 * format ovs-vswitchd uses and scripts parse:
 *
 *     groups:0 mac-entries:2 megaflows:1 ofconns:1 ports:3 rules:9
 *
 * A timer that memory_init() starts on the main loop logs the peak
 * resident set size and the counts ten seconds after start-up, when the
 * daemon has configured itself (so the log of a long-running daemon shows
 * its starting point), then again, checking every ten seconds, whenever
 * the peak has grown by half since the last log.  The ten seconds follow
 * time_msec(), so "time/warp" brings the first log forward in tests.
 *
 * Not done yet: counts only; no per-module byte estimates. */
#ifndef XVS_MEMORY_H
#define XVS_MEMORY_H 1

struct memory_usage;

typedef void memory_report_func(struct memory_usage *, void *aux);

void memory_register(memory_report_func *, void *aux);
void memory_unregister(memory_report_func *, void *aux);
void memory_add(struct memory_usage *, const char *key,
                unsigned long long int n);

/* "key:count key:count ...", malloc'd, without a newline. */
char *memory_show(void);
/* Registers "memory/show" and starts memory_run()'s timer on evloop. */
void memory_init(void);

#endif
