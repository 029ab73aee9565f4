/* reports/latex.h -- LaTeX primitives: escaping of input text, numbers, booktabs tables
 *
 * Writes to the FILE* it is given (the caller checks the stream at close); no store, no state.
 * Text is borrowed for the call; csv_defuse's copy, when it makes one, is the caller's. */
#ifndef PSYFAITH_LATEX_H
#define PSYFAITH_LATEX_H
#include <stdio.h>

#define LATEX_MAX_TEXT 80   /* input text longer than this (in characters) is cut with an ellipsis */

/* Writes s so that pdflatex (T1, utf8 inputenc) prints it literally: the ten special characters, < > | "
 * and control characters are escaped; characters outside Latin-1 become [U+XXXX] in typewriter
 * type, because pdflatex has no glyphs for them (right-to-left and combining marks included);
 * invalid UTF-8 bytes become [0xXX].  Text longer than LATEX_MAX_TEXT characters is cut. */
void latex_text(FILE *fp, const char *s);
/* The same with another length limit (citations are long and must print whole). */
void latex_text_max(FILE *fp, const char *s, size_t max_chars);

/* A number with `digits` decimals, a real minus sign ($-$), or an en dash when NaN.  `bold` wraps
 * it in \textbf.  A footnote mark is added when mark is not NULL. */
void latex_num(FILE *fp, double v, int digits, int bold, const char *mark);

/* Spreadsheet-safe text for a CSV cell: a text cell starting with = + - @ (or TAB/CR) gets a leading
 * apostrophe, so that a spreadsheet shows it instead of evaluating it; numbers are left alone.
 * Returns s itself or a buffer the caller frees (*owned set). */
const char *csv_defuse(const char *s, char **owned);
#endif
