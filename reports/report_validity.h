/* reports/report_validity.h -- the report's "Validity diagnostics" section (issue 14 part 6):
 * internal to reports/report_validity*.c and report.c.
 *
 * The section is a list of subsections (report_validity.c, `subsections[]`), each its own part
 * (DIR/NAME.tex and DIR/NAME.csv) so that --only can pick one; `--only validity` picks them all.
 * The first subsection written opens the section (\section*{Validity diagnostics}) through
 * report_validity_open().  A new subsection (issue 14 parts 3 and 5: report_validity_varcomp.c,
 * report_validity_probs.c) is one function of the form below and one line in subsections[]. */
#ifndef PSYFAITH_REPORT_VALIDITY_H
#define PSYFAITH_REPORT_VALIDITY_H

#include "reports/report.h"

/* report_open() of subsection NAME that writes the section heading into the first one. */
int report_validity_open(struct report_ctx *c, const char *name, struct report_files *f);

/* The subsections: each writes part NAME (its entry in subsections[]) or nothing; 0 / -1. */
int report_validity_order(struct report_ctx *c, const char *name);        /* option-order effects */
int report_validity_acq(struct report_ctx *c, const char *name);          /* acquiescence, contradiction */
int report_validity_reliability(struct report_ctx *c, const char *name);  /* omega, lambda6, alpha, flags */

#endif
