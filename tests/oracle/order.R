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

# ---- the CLI fixture: per subject x block (and x instrument) order effects, from the raw records ----
library(jsonlite)
recs <- stream_in(file("tests/cli/data/order.jsonl"), verbose = FALSE)
bank <- read.csv("fixtures/banks/ipip-50.csv", stringsAsFactors = FALSE)
recs$dimension <- bank$dimension[match(recs$item, bank$item)]
recs$key <- bank$key[match(recs$item, bank$item)]
# the order of a record: option_order, or the permutation its letter labels give (A = 1)
recs$order <- ifelse(is.na(recs$option_order), "ascending", recs$option_order)
for (i in seq_len(nrow(recs))) {
  o <- recs$options[[i]]
  if (!is.null(o) && length(o) == 5) {
    at <- match(o, LETTERS)
    recs$order[i] <- if (all(at == 1:5)) "ascending" else if (all(at == 5:1)) "descending" else paste(at, collapse = ",")
  }
}
first_shown <- function(o) if (o == "ascending") 1 else if (o == "descending") 5 else as.integer(strsplit(o, ",")[[1]][1])
recs$keyed <- ifelse(recs$key == "+", recs$option, 6 - recs$option)
bank_order <- c("EXT", "AGR", "CONS", "EMO", "OPEN")
cli <- file("tests/oracle/order/cli.txt", "w")
cat("metric,instrument_b,dimension,item,value,ci_low,ci_high,n\n", file = cli)
row <- function(metric, vs, dim, who, value, lo = NA, hi = NA, n) {
  f <- function(v) if (is.na(v)) "" else formatC(v, digits = 17, format = "g")
  cat(metric, ",\"", vs, "\",", dim, ",", who, ",", f(value), ",", f(lo), ",", f(hi), ",", n, "\n", sep = "", file = cli)
}
for (who in unique(recs$model)) {
  s <- recs[recs$model == who, ]
  orders <- unique(s$order)
  if (length(orders) < 2) next
  ref <- if ("ascending" %in% orders) "ascending" else sort(orders, method = "radix")[1]
  groups <- c(as.list(bank_order), list(bank_order))
  for (g in groups) {
    d <- s[s$dimension %in% g, ]
    dim <- if (length(g) == 1) g else ""
    # item x order means of the ascending option, in bank order
    its <- bank$item[bank$dimension %in% g]
    for (o in setdiff(sort(orders, method = "radix"), ref)) {
      mo <- sapply(its, function(i) { v <- d$option[d$item == i & d$order == o]; if (length(v)) sum(v) / length(v) else NA })
      mr <- sapply(its, function(i) { v <- d$option[d$item == i & d$order == ref]; if (length(v)) sum(v) / length(v) else NA })
      ok <- !is.na(mo) & !is.na(mr)
      x <- mo[ok]; y <- mr[ok]
      vs <- paste(o, "vs", ref)
      tt <- t.test(x, y, paired = TRUE)
      row("order_diff", vs, dim, who, unname(tt$estimate), tt$conf.int[1], tt$conf.int[2], sum(ok))
      row("order_p_t", vs, dim, who, tt$p.value, n = sum(ok))
      w <- suppressWarnings(wilcox.test(x, y, paired = TRUE))
      row("order_p_wilcoxon", vs, dim, who, w$p.value, n = sum(ok))
      paired <- its[ok]
      a_ref <- d$option[d$order == ref & d$item %in% paired]
      a_oth <- d$option[d$order == o & d$item %in% paired]
      fr <- first_shown(ref); fo <- first_shown(o)
      pb <- ((mean(a_ref == fr) - mean(a_oth == fr)) + (mean(a_oth == fo) - mean(a_ref == fo))) / 2
      row("position_bias", vs, dim, who, pb, n = sum(ok))
    }
    if (dim != "") {
      # counterbalanced: per item the mean over its orders of the mean keyed score, items with 2+ orders
      cb <- c(); pooled <- c()
      for (i in its) {
        di <- d[d$item == i, ]
        if (length(unique(di$order)) < 2) next
        cb <- c(cb, mean(tapply(di$keyed, di$order, function(v) sum(v) / length(v))))
        pooled <- c(pooled, sum(di$keyed) / nrow(di))
      }
      row("cb_score", "", dim, who, mean(cb), n = length(cb))
    }
  }
}
close(cli)
