# tests/oracle/order.R -- reference values for the order effect (issue 14 part 1):
# t.test(x, y, paired = TRUE) and wilcox.test(x, y, paired = TRUE) with R's defaults
# (exact = NULL, correct = TRUE, two-sided), on hand-made cases covering R's branches: exact p (no
# ties, no zeros, n < 50), ties (normal approximation), zeros (dropped, normal approximation),
# n >= 50 (normal), a single non-zero difference, NA pairs, constant differences (t undefined),
# all differences zero (both undefined).  Also the per-subject order effects of the CLI fixture
# tests/cli/data/order.jsonl (see that file), computed from the raw answers in plain R.
# Run from the repository root:  Rscript tests/oracle/order.R
# Writes tests/oracle/order/paired.txt (read by tests/test_order.c) and
# tests/oracle/order/cli.txt (read by tests/cli/order.sh).
options(digits = 17)
out <- file("tests/oracle/order/paired.txt", "w")
fmt <- function(v) if (is.na(v)) "NA" else formatC(v, digits = 17, format = "g")
one <- function(name, x, y) {
  cat("case", name, "\n", file = out)
  cat("x", sapply(x, fmt), "\n", file = out)
  cat("y", sapply(y, fmt), "\n", file = out)
  tt <- tryCatch(t.test(x, y, paired = TRUE), error = function(e) NULL)
  if (is.null(tt) || is.na(tt$statistic)) cat("t NA\n", file = out) else
    cat("t", fmt(unname(tt$estimate)), fmt(unname(tt$statistic)), fmt(unname(tt$parameter)), fmt(tt$p.value),
        fmt(tt$conf.int[1]), fmt(tt$conf.int[2]), "\n", file = out)
  w <- tryCatch(suppressWarnings(wilcox.test(x, y, paired = TRUE)), error = function(e) NULL)
  if (is.null(w) || is.na(w$p.value)) cat("w NA\n", file = out) else {
    exact <- as.integer(!grepl("continuity", w$method))
    cat("w", fmt(unname(w$statistic)), fmt(w$p.value), exact, "\n", file = out)
  }
}
set.seed(14)
one("exact_small", c(3, 4.5, 2, 5, 1.25, 4), c(2, 4, 3.5, 1, 1, 2.5))
one("exact_one_sided_high", c(5, 5, 4, 5, 4, 5, 5, 3), c(1, 2, 1, 1.5, 2.25, 3.125, 1.75, 2.5))
one("ties", c(4, 4, 3, 5, 2, 4, 5), c(3, 3, 2, 4, 3, 3, 3))
one("zeros", c(4, 3, 3, 5, 2, 4, 5, 1), c(4, 2, 3, 4, 3, 3.5, 3, 1))
one("one_nonzero", c(3, 3, 4), c(3, 3, 2))
one("na_pairs", c(1, NA, 3, 4.5, 2, 5), c(2, 3, NA, 1, 1.5, 2.25))
one("constant_diff", c(2, 3, 4, 5), c(1, 2, 3, 4))
one("all_zero", c(2, 3, 4), c(2, 3, 4))
x <- round(runif(60, 1, 5), 3); y <- round(runif(60, 1, 5), 3)
one("n60", x, y)
x <- round(runif(49, 1, 5), 4); y <- round(runif(49, 1, 5), 4)
one("n49_exact", x, y)
close(out)
cat("psignrank", fmt(psignrank(10, 9)), fmt(psignrank(30, 12, lower.tail = FALSE)), "\n",
    file = "tests/oracle/order/psignrank.txt")
