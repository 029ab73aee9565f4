# tests/oracle/games.R -- reference values for `psyfaith games` from R's own lm, glm, t.test,
# prop.test and cor, on the fixture that fixtures/games/make_fixture.py generates.
#
#   Rscript tests/oracle/games.R [SHARED_DATA_DIR]     # from the repository root
#
# Reads  tests/oracle/games/ug_trials.tsv  (the Ultimatum trials whose answers parse)
#        tests/oracle/games/me_runs.tsv    (the Milgram runs)
#        SHARED_DATA_DIR/chatgpt-behavioral/data/ultimatum_strategy.csv (human curve; default
#        ../shared/data), to check fixtures/games/human_games.csv independently
# Writes tests/oracle/games/expected.txt: one row per value, tab separated, the key and
# number columns of `psyfaith games --format csv` (analysis model trait level offer term value
# ci_low ci_high df p_value n), "-" for an empty cell, numbers with 17 significant digits.
# tests/test_games.c and tests/cli/games.sh compare psyfaith against it (1e-9; 1e-6 for glm).
# Written against R 4.2.2 (base + stats only).

args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) >= 1) args[1] else "../shared/data"
dir <- "tests/oracle/games"
ug <- read.delim(file.path(dir, "ug_trials.tsv"), na.strings = "NA", stringsAsFactors = FALSE)
me <- read.delim(file.path(dir, "me_runs.tsv"), na.strings = "NA", stringsAsFactors = FALSE)

out <- character(0)
num <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) "-" else sprintf("%.17g", x)
}
txt <- function(x) if (is.null(x) || is.na(x) || x == "") "-" else as.character(x)
emit <- function(analysis, model, trait, level, offer, term, value, lo = NA, hi = NA, df = NA, p = NA, n = NA) {
  out <<- c(out, paste(analysis, model, txt(trait), txt(level), txt(offer), term, num(value), num(lo), num(hi),
                       num(df), num(p), if (is.na(n)) "-" else sprintf("%d", as.integer(n)), sep = "\t"))
}
ci_t <- function(est, se, df) est + c(-1, 1) * qt(0.975, df) * se

ug$o <- ug$offer / ug$total
models <- sort(unique(ug$model))

## ---- Ultimatum ------------------------------------------------------------------------------
human <- NULL
hfile <- file.path(shared, "chatgpt-behavioral/data/ultimatum_strategy.csv")
if (file.exists(hfile)) {
  h <- read.csv(hfile)
  human <- h$accept[h$accept >= 0]
}

for (m in models) {
  d <- ug[ug$model == m, ]
  # ug_acceptance: every condition x offer, Wilson interval = prop.test(correct = FALSE)
  cells <- unique(d[, c("trait", "level", "offer", "total")])
  for (i in seq_len(nrow(cells))) {
    c <- cells[i, ]
    sel <- d$offer == c$offer & d$total == c$total &
      (if (is.na(c$trait)) is.na(d$trait) else (!is.na(d$trait) & d$trait == c$trait & d$level == c$level))
    k <- sum(d$accept[sel]); n <- sum(sel)
    ci <- suppressWarnings(prop.test(k, n, correct = FALSE)$conf.int)
    emit("ug_acceptance", m, c$trait, c$level, c$offer, "acceptance_rate", k / n, ci[1], ci[2], n = n)
  }
  # ug_human: the baseline against the human curve
  b <- d[is.na(d$trait), ]
  if (!is.null(human) && nrow(b) > 0) {
    diffs <- c()
    for (off in sort(unique(b$offer))) {
      bb <- b[b$offer == off, ]
      x <- floor(100 * off / bb$total[1] + 1e-9)
      hk <- sum(human <= x); hn <- length(human)
      ci <- suppressWarnings(prop.test(hk, hn, correct = FALSE)$conf.int)
      emit("ug_human", m, NA, NA, off, "human_acceptance_rate", hk / hn, ci[1], ci[2], n = hn)
      diffs <- c(diffs, mean(bb$accept) - hk / hn)
      emit("ug_human", m, NA, NA, off, "baseline_minus_human", mean(bb$accept) - hk / hn, n = nrow(bb))
    }
    emit("ug_human", m, NA, NA, NA, "mean_abs_difference", mean(abs(diffs)), n = length(diffs))
  }
  for (t in sort(unique(d$trait[!is.na(d$trait)]))) {
    dt <- d[!is.na(d$trait) & d$trait == t, ]
    n <- nrow(dt)
    # ug_ols: cell means, no intercept
    fit <- lm(accept ~ 0 + factor(level) + o, data = dt)
    s <- summary(fit)
    cf <- coef(s); ci <- confint(fit)
    lv <- sort(unique(dt$level))
    for (j in seq_len(nrow(cf))) {
      lvl <- if (j <= length(lv)) lv[j] else NA
      term <- if (j <= length(lv)) paste0("theta_", lv[j]) else "theta_o"
      emit("ug_ols", m, t, lvl, NA, term, cf[j, 1], ci[j, 1], ci[j, 2], fit$df.residual, cf[j, 4], n)
    }
    emit("ug_ols", m, t, NA, NA, "r2", s$r.squared, df = fit$df.residual, n = n)
    emit("ug_ols", m, t, NA, NA, "adj_r2", s$adj.r.squared, df = fit$df.residual, n = n)
    # Cell means that are equal in exact arithmetic (identical cells) differ in the last bits
    # between QR and SVD, and even between equal cells here: psyfaith rounds them to 1e-10
    # before ranking (games_snap_ties), and so does the oracle.
    theta <- round(cf[seq_along(lv), 1], 10)
    # ug_logit: the same design, binomial
    g <- glm(accept ~ 0 + factor(level) + o, family = binomial, data = dt)
    gc <- coef(summary(g)); gci <- confint.default(g)
    for (j in seq_len(nrow(gc))) {
      lvl <- if (j <= length(lv)) lv[j] else NA
      term <- if (j <= length(lv)) paste0("theta_", lv[j]) else "theta_o"
      emit("ug_logit", m, t, lvl, NA, term, gc[j, 1], gci[j, 1], gci[j, 2], NA, gc[j, 4], n)
    }
    emit("ug_logit", m, t, NA, NA, "deviance", deviance(g), df = g$df.residual, n = n)
    emit("ug_logit", m, t, NA, NA, "aic", AIC(g), n = n)
    # ug_trend: level as a number
    tr <- glm(accept ~ level + o, family = binomial, data = dt)
    tc <- coef(summary(tr)); tci <- confint.default(tr)
    terms <- c("intercept", "slope_level", "slope_o")
    for (j in 1:3) emit("ug_trend", m, t, NA, NA, terms[j], tc[j, 1], tci[j, 1], tci[j, 2], NA, tc[j, 4], n)
    # ug_monotonicity
    rho <- cor(lv, theta, method = "spearman")
    emit("ug_monotonicity", m, t, NA, NA, "spearman_rho", rho, n = length(lv))
    steps <- diff(theta)
    viol <- if (rho > 0) sum(steps < 0) else if (rho < 0) sum(steps > 0) else min(sum(steps < 0), sum(steps > 0))
    emit("ug_monotonicity", m, t, NA, NA, "violations", viol, n = length(lv) - 1)
    # ug_offer_regression (Figure 7): per offer, rate ~ level over the levels
    for (off in sort(unique(dt$offer))) {
      a <- aggregate(accept ~ level, data = dt[dt$offer == off, ], FUN = mean)
      r <- lm(accept ~ level, data = a)
      rs <- summary(r); rc <- coef(rs); rci <- confint(r)
      emit("ug_offer_regression", m, t, NA, off, "slope", rc[2, 1], rci[2, 1], rci[2, 2], r$df.residual, rc[2, 4],
           nrow(a))
      emit("ug_offer_regression", m, t, NA, off, "r2", rs$r.squared, df = r$df.residual, n = nrow(a))
    }
  }
}

## ---- Milgram --------------------------------------------------------------------------------
rank <- function(l) ifelse(is.na(l), -1, ifelse(l == "min", 0, ifelse(l == "max", 10, suppressWarnings(as.integer(l)))))
for (m in sort(unique(me$model))) {
  d <- me[me$model == m, ]
  d$rank <- rank(d$level)
  conds <- unique(d[, c("trait", "level", "rank")])
  conds <- conds[order(ifelse(is.na(conds$trait), "", conds$trait), conds$rank), ]
  top <- max(d$max_level[d$filtered == 0])
  kept <- function(t, r) {
    sel <- d$filtered == 0 & (if (is.na(t)) is.na(d$trait) else (!is.na(d$trait) & d$trait == t & d$rank == r))
    d[sel, ]
  }
  for (i in seq_len(nrow(conds))) {
    c <- conds[i, ]
    k <- kept(c$trait, c$rank)
    all <- if (is.na(c$trait)) d[is.na(d$trait), ] else d[!is.na(d$trait) & d$trait == c$trait & d$rank == c$rank, ]
    emit("me_summary", m, c$trait, c$level, NA, "mean_final_level", mean(k$final_level), n = nrow(k))
    emit("me_summary", m, c$trait, c$level, NA, "sd_final_level", sd(k$final_level), n = nrow(k))
    emit("me_summary", m, c$trait, c$level, NA, "disobediences", sum(k$disobediences), n = nrow(k))
    emit("me_summary", m, c$trait, c$level, NA, "filtered_runs", sum(all$filtered), n = nrow(all))
    for (L in 0:top)
      emit("me_remaining", m, c$trait, c$level, NA, paste0("step_", L), 100 * mean(k$final_level >= L), n = nrow(k))
  }
  base <- kept(NA, -1)
  welch <- function(x, y, t, label) {
    tt <- t.test(x$final_level, y$final_level, var.equal = FALSE)
    n <- nrow(x) + nrow(y)
    emit("me_welch", m, t, label, NA, "welch_t", tt$statistic, df = tt$parameter, p = tt$p.value, n = n)
    emit("me_welch", m, t, label, NA, "mean_difference", unname(tt$estimate[1] - tt$estimate[2]), tt$conf.int[1],
         tt$conf.int[2], tt$parameter, tt$p.value, n)
  }
  for (t in sort(unique(d$trait[!is.na(d$trait)]))) {
    ct <- conds[!is.na(conds$trait) & conds$trait == t, ]
    for (i in seq_len(nrow(ct)))
      welch(kept(t, ct$rank[i]), base, t, paste(ct$level[i], "vs baseline"))
    hi <- ct[nrow(ct), ]; lo <- ct[1, ]
    welch(kept(t, hi$rank), kept(t, lo$rank), t, paste(hi$level, "vs", lo$level))
  }
}

writeLines(c("# generated by tests/oracle/games.R: analysis model trait level offer term value ci_low ci_high df p_value n",
             out), file.path(dir, "expected.txt"))
cat(sprintf("tests/oracle/games/expected.txt: %d values\n", length(out)))
