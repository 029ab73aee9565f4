/* reports/figcache.h -- the report's figures compiled once and kept as PDFs, keyed on their TeX
 * (issue 16: `report --pdf` spent 96 % of its time in pdflatex, nearly all of it on pgfplots).
 *
 * For each figure part (fig_*.tex) of the report, the key is the SHA-256 of report.tex's preamble
 * and the part's whole text -- its data included -- so a cached figure can never be stale: any
 * change of data, model names, options or psyfaith's output changes the key.  A part whose key has
 * no PDF in DIR/.psyfaith-figures/ yet is compiled on its own (each tikzpicture shipped out as a
 * page of its exact size), two parts at a time on the machine's cores, and stored as KEY.pdf.  The
 * main pdflatex pass then reads, for each figure part, a copy in the private directory whose
 * tikzpictures are \includegraphics of those pages (found first through TEXINPUTS), so report.tex
 * and the parts the user \inputs are never changed.  PDFs of keys this report did not use are
 * removed, so the cache holds one report's figures.  A figure that fails to compile on its own is
 * left to the main pass, which reports the error as before. */
#ifndef PSYFAITH_FIGCACHE_H
#define PSYFAITH_FIGCACHE_H

#include <stddef.h>

#include <sys/types.h>

/* Whether tex_dir has no cached figure yet (no cache directory, or no PDF in it): a fresh report,
 * whose figures will all be compiled. */
int figcache_is_fresh(const char *tex_dir);

/* Starts dumping `preamble` (plen bytes: report.tex up to \begin{document}) as the format that
 * figures are compiled from, into tex_dir/priv; report.c starts it before the report's parts are
 * computed when the directory is fresh, so that the dump (about a second of pdflatex) runs on the
 * core the computation leaves idle instead of beside the first figure.  Its pid, or -1. */
pid_t figcache_start_format(const char *tex_dir, const char *priv, const char *preamble, size_t plen);

/* Prepares the figures of parts[0..n) (names without .tex) of the report in tex_dir for a pdflatex
 * run whose private directory is tex_dir/priv (priv: its name only).  early_format is the pid of a
 * figcache_start_format() into priv, or -1: it is waited for, and its format used when it succeeded
 * and was dumped from report.tex's own preamble.  Returns the number of parts that will be read
 * from the cache (0 when caching is not possible: the directory cannot be made, or is a link), or
 * -1 after a diagnostic (out of memory). */
int figcache_prepare(const char *tex_dir, const char *priv, char *const *parts, size_t n_parts, pid_t early_format);

#endif
