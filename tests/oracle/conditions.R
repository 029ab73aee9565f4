# tests/oracle/conditions.R -- reference values for the condition comparisons of `psyfaith games`
# (issue 13): Wilson intervals, Newcombe's difference interval, Fisher's exact test, Welch's t and
# the per-condition logits, from R's own prop.test, fisher.test, t.test and glm.
#
#   Rscript tests/oracle/conditions.R        # from the repository root
#
# Writes
#   tests/oracle/conditions/proportions.txt  for tests/test_stats_proportions.c: per 2 x 2 case
#       k1 n1 k2 n2, then the Wilson interval of each group (prop.test(k, n, correct = FALSE)), the
#       difference p1 - p2 with Newcombe's method-10 interval, and fisher.test's two-sided p.
#   tests/oracle/conditions/expected.txt     for tests/cli/games_conditions.sh: one row per value of
#       `psyfaith games --format csv` on fixtures/games/conditions.jsonl (made by
#       fixtures/games/make_conditions.py), tab separated: analysis model condition trait level
#       offer term value ci_low ci_high df p_value n ("-" = empty), numbers to 17 digits.
# Written against R 4.2.2 (base + stats only).
#
# Interval choice: prop.test's default correct = TRUE adds Yates' continuity correction; psyfaith
# reports the plain Wilson score interval (correct = FALSE), which is also the interval Newcombe's
# method 10 is built from.  R has no Newcombe function: newcombe() below writes the method out
# from prop.test's intervals, and newcombe_closed() recomputes it from the closed-form Wilson
# bounds of Newcombe (1998), eq. for method 3; the two must agree to 1e-12.

num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "-" else sprintf("%.17g", x)

wilson <- function(k, n) {
  if (k == 0 && n == 0) return(c(NA, NA))
  suppressWarnings(prop.test(k, n, correct = FALSE)$conf.int[1:2])
}
wilson_closed <- function(k, n, z = qnorm(0.975)) {
  p <- k / n; q <- 1 - p
  lo <- (2 * n * p + z^2 - z * sqrt(z^2 + 4 * n * p * q)) / (2 * (n + z^2))
  hi <- (2 * n * p + z^2 + z * sqrt(z^2 + 4 * n * p * q)) / (2 * (n + z^2))
  c(if (k == 0) 0 else lo, if (k == n) 1 else hi)
}
newcombe_from <- function(k1, n1, k2, n2, w1, w2) {
  p1 <- k1 / n1; p2 <- k2 / n2; d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
newcombe <- function(k1, n1, k2, n2) newcombe_from(k1, n1, k2, n2, wilson(k1, n1), wilson(k2, n2))
newcombe_closed <- function(k1, n1, k2, n2)
  newcombe_from(k1, n1, k2, n2, wilson_closed(k1, n1), wilson_closed(k2, n2))
fisher_p <- function(k1, n1, k2, n2) fisher.test(matrix(c(k1, k2, n1 - k1, n2 - k2), 2))$p.value

## ---- the 2 x 2 cases of the unit test -------------------------------------------------------
cases <- rbind(c(7, 20, 12, 20), c(0, 10, 5, 10), c(10, 10, 0, 10), c(0, 5, 0, 7), c(15, 15, 15, 15),
               c(3, 50, 9, 45), c(30, 40, 10, 40), c(1, 1, 0, 1), c(45, 200, 60, 180), c(12, 25, 12, 25),
               c(400, 1000, 450, 1000), c(2, 3, 1, 4), c(19, 20, 1, 20), c(6, 6, 5, 9))
lines <- "# k1 n1 k2 n2 w1_lo w1_hi w2_lo w2_hi diff nc_lo nc_hi fisher_p"
for (i in seq_len(nrow(cases))) {
  x <- cases[i, ]
  w1 <- wilson(x[1], x[2]); w2 <- wilson(x[3], x[4])
  nc <- newcombe(x[1], x[2], x[3], x[4])
  stopifnot(max(abs(nc - newcombe_closed(x[1], x[2], x[3], x[4]))) < 1e-12)
  lines <- c(lines, paste(c(sprintf("%d", x), sapply(c(w1, w2, nc, fisher_p(x[1], x[2], x[3], x[4])), num)),
                          collapse = " "))
}
dir.create("tests/oracle/conditions", showWarnings = FALSE)
writeLines(lines, "tests/oracle/conditions/proportions.txt")
cat("proportions.txt:", nrow(cases), "cases\n")

## ---- the values of `psyfaith games` on fixtures/games/conditions.jsonl -------------------------
out <- character(0)
txt <- function(x) if (is.null(x) || is.na(x) || x == "") "-" else as.character(x)
emit <- function(analysis, model, cond, trait, level, offer, term, value, lo = NA, hi = NA, df = NA, p = NA,
                 n = NA) {
  out <<- c(out, paste(analysis, model, txt(cond), txt(trait), txt(level), txt(offer), term, num(value), num(lo),
                       num(hi), num(df), num(p), if (is.na(n)) "-" else sprintf("%d", as.integer(n)), sep = "\t"))
}
dir <- "tests/oracle/conditions"
me <- read.delim(file.path(dir, "me_runs.tsv"), na.strings = "NA", stringsAsFactors = FALSE)
ug <- read.delim(file.path(dir, "ug_trials.tsv"), na.strings = "NA", stringsAsFactors = FALSE)
same <- function(a, b) if (is.na(b)) is.na(a) else (!is.na(a) & a == b)

# Milgram: obedience = a kept run reaching its max_level
me <- me[me$filtered == 0, ]
me$obedient <- as.integer(me$final_level >= me$max_level)
cells <- unique(me[, c("model", "condition", "trait", "level")])
for (i in seq_len(nrow(cells))) {
  c <- cells[i, ]
  d <- me[me$model == c$model & same(me$condition, c$condition) & same(me$trait, c$trait) &
            same(me$level, c$level), ]
  k <- sum(d$obedient); n <- nrow(d)
  w <- wilson(k, n)
  emit("me_obedience", c$model, c$condition, c$trait, c$level, NA, "obedience_rate", k / n, w[1], w[2], n = n)
  emit("me_summary", c$model, c$condition, c$trait, c$level, NA, "mean_final_level", mean(d$final_level), n = n)
  if (n > 1)
    emit("me_summary", c$model, c$condition, c$trait, c$level, NA, "sd_final_level", sd(d$final_level), n = n)
  if (is.na(c$condition)) next
  r <- me[me$model == c$model & is.na(me$condition) & same(me$trait, c$trait) & same(me$level, c$level), ]
  if (nrow(r) == 0) next
  kr <- sum(r$obedient); nr <- nrow(r)
  nc <- newcombe(k, n, kr, nr)
  emit("me_condition", c$model, c$condition, c$trait, c$level, NA, "obedience_difference", nc[1], nc[2], nc[3],
       p = fisher_p(k, n, kr, nr), n = n + nr)
  tt <- t.test(d$final_level, r$final_level)
  emit("me_condition", c$model, c$condition, c$trait, c$level, NA, "mean_final_difference",
       unname(tt$estimate[1] - tt$estimate[2]), tt$conf.int[1], tt$conf.int[2], unname(tt$parameter), tt$p.value,
       n = n + nr)
  emit("me_condition", c$model, c$condition, c$trait, c$level, NA, "welch_t", unname(tt$statistic), NA, NA,
       unname(tt$parameter), tt$p.value, n = n + nr)
}

# Ultimatum: acceptance by offer per condition, and each condition against the baseline
ug$o <- ug$offer / ug$total
for (m in sort(unique(ug$model))) {
  d <- ug[ug$model == m, ]
  for (cond in unique(d$condition)) {
    dc <- d[same(d$condition, cond), ]
    for (off in sort(unique(dc$offer))) {
      s <- dc[dc$offer == off, ]
      w <- wilson(sum(s$accept), nrow(s))
      emit("ug_acceptance", m, cond, NA, NA, off, "acceptance_rate", mean(s$accept), w[1], w[2], n = nrow(s))
    }
    if (is.na(cond)) next
    b <- d[is.na(d$condition), ]
    if (nrow(b) == 0) next
    both <- rbind(transform(dc, cond = 1), transform(b, cond = 0))
    fit <- glm(accept ~ o + cond, family = binomial, data = both)
    co <- summary(fit)$coefficients
    ci <- confint.default(fit)
    terms <- c("intercept", "slope_o", "condition")
    for (j in 1:3)
      emit("ug_condition", m, cond, NA, NA, NA, terms[j], co[j, 1], ci[j, 1], ci[j, 2], p = co[j, 4],
           n = nrow(both))
  }
}
writeLines(c("# analysis model condition trait level offer term value ci_low ci_high df p_value n", out),
           file.path(dir, "expected.txt"))
cat("expected.txt:", length(out), "rows\n")
