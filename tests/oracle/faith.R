# tests/oracle/faith.R -- reference values of `psyfaith metrics` (metrics/faith*.c), computed with R,
# psych and jsonlite from the raw inputs, without psyfaith.  tests/test_faith.c compares to 1e-9.
#
# Run from the repository root (needs R with psych and jsonlite; CI does not run this):
#   Rscript tests/oracle/faith.R
# Reads tests/oracle/faith/{rb.jsonl, rb_crs.csv, steer.jsonl} (from gen_fixtures.py), the real
# ChatGPT-Behavioral transcripts fixtures/transcripts/chatgpt-behavioral-bigfive.json (the authors'
# own `choices`), the item banks and norms under fixtures/, and the 19,719 openpsychometrics
# respondents ($PSYFAITH_SHARED, default ../shared, + /data/chatgpt-behavioral/data/bigfive_data.csv).
# Writes tests/oracle/faith/<set>.expected: a comment line, then one row a line, tab-separated:
#   metric instrument instrument_b dimension item value ci_low ci_high n
# with 17 significant digits and NA where R has no value (psyfaith must print an empty cell).
#
# Definitions (the same as metrics/faith.h; where psych has a function it is used):
#   score      per-item mean of the majority-voted keyed answers (ties: nearest the middle, then the
#              lower option), when at least 80 % of the dimension's items are answered
#   TrC        per subject, r of the item vectors of repetitions u < v (pairwise complete; constant
#              vectors skipped), mean over pairs, then over subjects.  TrC_literal: Eq. 2 as printed
#   InC etc.   psych::alpha (raw_alpha, std.alpha, alpha.drop, feldt) on subjects x items
#   split-half odd/even Spearman-Brown and every split on cov2cor(cov(x, use = "pairwise")); this is
#              checked against psych::splitHalf where psych enumerates every split (even k <= 16)
#              and the data are complete.  Differs: with missing answers psych::splitHalf uses
#              cor(x, use = "pairwise") (each r with its own pair's sds); psyfaith keeps the alpha
#              covariance matrix; for odd k psych averages a subset of splits.
#   ICC        psych::ICC(x, lmer = FALSE) of complete subjects x repetitions of the per-item mean
#   ExC, BC    cor() and cor.test() across subjects; heterotrait_r mean |r| with the other dimensions
#   style      per subject over all repetitions, then the mean over subjects
#   norms      per model, mean of the subjects' scores; z and 100 * pnorm(z)
#   steer      cor(method = "spearman") of persona level and score; decreasing steps of level means
#   acq        per subject over every ok answer (raw option, before reverse keying): P, N = mean on +
#              and - keyed items, T = (P - N)/2, A = (P + N)/2 - 3; contradiction = of the (+, -)
#              item pairs answered in one repetition (first ok answer), the share with both options
#              > 3, pooled over repetitions.  acq_share, trait_share = cor(score, A)^2, cor(score,
#              T)^2 (0 for a constant A or T, NA for a constant score or n < 3); means over subjects
source("tests/oracle/minres.R")
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})
options(warn = -1)
shared <- Sys.getenv("PSYFAITH_SHARED", "../shared")
odir <- "tests/oracle/faith"
MIN_SHARE <- 0.8
DIMS <- c("EXT", "AGR", "CONS", "EMO", "OPEN")
TRAITS <- c(extraversion = "EXT", agreeableness = "AGR", conscientiousness = "CONS",
            emotional_stability = "EMO", openness = "OPEN", EXT = "EXT", AGR = "AGR", CONS = "CONS",
            EMO = "EMO", OPEN = "OPEN")

banks <- do.call(rbind, lapply(c("bfi-44", "ipip-50", "ipip-neo-120"), function(b)
  read.csv(file.path("fixtures/banks", paste0(b, ".csv")), colClasses = "character")))
banks$pos <- ave(seq_len(nrow(banks)), banks$instrument, FUN = seq_along)
norms <- read.csv("fixtures/norms/norms.csv", stringsAsFactors = FALSE)
norms <- norms[!is.na(norms$mean) & !is.na(norms$sd), ]

# ---- small helpers ---------------------------------------------------------------------
# r of the complete pairs; NA for fewer than 2 pairs or a constant vector (as stats_pearson)
pr <- function(x, y, method = "pearson") {
  ok <- !is.na(x) & !is.na(y)
  if (sum(ok) < 2) return(NA_real_)
  x <- x[ok]; y <- y[ok]
  if (all(x == x[1]) || all(y == y[1])) return(NA_real_)
  max(-1, min(1, cor(x, y, method = method)))
}
fisher <- function(x, y) {
  ok <- !is.na(x) & !is.na(y)
  if (sum(ok) < 4 || is.na(pr(x, y))) return(c(NA, NA))
  as.numeric(cor.test(x[ok], y[ok])$conf.int)
}
vote <- function(o, k = 5) {
  o <- o[!is.na(o)]
  if (!length(o)) return(NA_real_)
  t <- table(o); v <- as.numeric(names(t)); cnt <- as.vector(t)
  best <- v[cnt == max(cnt)]
  d <- abs(best - (k + 1) / 2)
  min(best[d == min(d)])
}
sorted <- function(x) sort(unique(x), method = "radix")

rows <- NULL
split_checked <- 0
emit <- function(metric, inst, inst_b, dim, item, value, lo = NA, hi = NA, n = NA) {
  rows[[length(rows) + 1]] <<- data.frame(metric = metric, instrument = inst, instrument_b = inst_b,
    dimension = dim, item = item, value = as.numeric(value), lo = as.numeric(lo),
    hi = as.numeric(hi), n = as.numeric(n), stringsAsFactors = FALSE)
}
write_rows <- function(name, note) {
  d <- do.call(rbind, rows)
  f <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v + 0))
  g <- function(v) ifelse(is.na(v), "NA", sprintf("%d", as.integer(v)))
  lines <- paste(d$metric, d$instrument, d$instrument_b, d$dimension, d$item, f(d$value), f(d$lo),
                 f(d$hi), g(d$n), sep = "\t")
  con <- file(file.path(odir, paste0(name, ".expected")), "w")
  writeLines(sprintf("# %s; generated by tests/oracle/faith.R with %s, psych %s", note,
                     R.version.string, packageVersion("psych")), con)
  writeLines(lines, con)
  close(con)
  cat(name, ": ", length(lines), " rows; split-half equal to psych::splitHalf on ", split_checked,
      " complete blocks\n", sep = "")
  split_checked <<- 0
  rows <<- NULL
}

# ---- responses -> blocks -------------------------------------------------------------------
# resp: subject (key), model, persona, rep, instrument, item, status, option (raw, ascending)
prepare <- function(resp) {
  resp <- merge(resp, banks[, c("instrument", "item", "dimension", "key", "pos")],
                by = c("instrument", "item"))
  resp$keyed <- ifelse(resp$key == "+", resp$option, 6 - resp$option)
  resp
}

blocks_of <- function(resp, subjects) {
  out <- list()
  for (inst in sorted(resp$instrument)) for (d in DIMS) {
    items <- banks[banks$instrument == inst & banks$dimension == d, ]
    items <- items[order(items$pos), ]
    r <- resp[resp$instrument == inst & resp$dimension == d, ]
    if (!nrow(r)) next
    ok <- r[r$status == "ok", ]
    si <- match(ok$subject, subjects); ii <- match(ok$item, items$item)
    key <- paste(si, ii)
    X <- matrix(NA_real_, length(subjects), nrow(items))
    if (!anyDuplicated(key)) X[cbind(si, ii)] <- ok$option
    else {
      v <- tapply(ok$option, key, vote)
      p <- do.call(rbind, strsplit(names(v), " "))
      X[cbind(as.integer(p[, 1]), as.integer(p[, 2]))] <- v
    }
    neg <- items$key == "-"
    X[, neg] <- 6 - X[, neg]
    colnames(X) <- items$item
    reps <- sorted(resp$rep[resp$instrument == inst])
    R <- lapply(reps, function(rp) {
      M <- matrix(NA_real_, length(subjects), nrow(items))
      o <- ok[ok$rep == rp, ]
      o <- o[!duplicated(paste(o$subject, o$item)), ]
      M[cbind(match(o$subject, subjects), match(o$item, items$item))] <- o$keyed
      M
    })
    answered <- rowSums(!is.na(X))
    took <- subjects %in% r$subject
    score <- ifelse(answered > 0 & answered >= MIN_SHARE * ncol(X) - 1e-9,
                    rowSums(X, na.rm = TRUE) / pmax(answered, 1), NA)
    out[[length(out) + 1]] <- list(inst = inst, dim = d, items = items, X = X, reps = R,
                                   answered = answered, took = took, score = score, r = r)
  }
  out
}

# ---- the metrics ---------------------------------------------------------------------------
trc_block <- function(b, literal) {
  vals <- c()
  for (s in which(b$answered > 0)) {
    M <- do.call(rbind, lapply(b$reps, function(m) m[s, ]))
    M <- M[rowSums(!is.na(M)) > 0, , drop = FALSE]
    if (nrow(M) < 2) next
    rs <- c()
    for (u in 1:(nrow(M) - 1)) for (v in (u + 1):nrow(M)) rs <- c(rs, pr(M[u, ], M[v, ]))
    rs <- rs[!is.na(rs)]
    if (!length(rs)) next
    if (literal) {
      diag <- sum(sapply(seq_len(nrow(M)), function(u) !is.na(pr(M[u, ], M[u, ]))))
      vals <- c(vals, (diag + 2 * sum(rs)) / nrow(M)^2)    # Eq. 2 as printed: over N_T^2
    } else vals <- c(vals, mean(rs))
  }
  if (!length(vals)) return(c(NA, NA))
  c(mean(vals), length(vals))
}

all_splits <- function(R) {
  k <- ncol(R); m <- k %/% 2; tot <- sum(R); rb <- c()
  for (A in combn(k, m, simplify = FALSE)) {
    if (k %% 2 == 0 && !(1 %in% A)) next
    B <- setdiff(seq_len(k), A)
    rb <- c(rb, 4 * sum(R[A, B]) / tot)
  }
  c(mean(rb), max(rb), min(rb))
}

alpha_block <- function(b) {
  X <- b$X[b$answered > 0, , drop = FALSE]
  n <- nrow(X); K <- ncol(X)
  sdv <- apply(X, 2, sd, na.rm = TRUE)
  keep <- which(!is.na(sdv) & sdv > 0)
  a <- if (n >= 2 && length(keep) >= 2)
    tryCatch(suppressMessages(suppressWarnings(alpha(X, warnings = FALSE))), error = function(e) NULL) else NULL
  raw <- if (is.null(a)) NA else a$total$raw_alpha
  emit("InC", b$inst, "", b$dim, "", raw, if (is.null(a)) NA else a$feldt$lower.ci,
       if (is.null(a)) NA else a$feldt$upper.ci, n)
  std <- if (is.null(a)) NA else a$total$std.alpha
  # psych's std.alpha divides by sum(R); psyfaith leaves it empty when that sum is <= 0
  if (!is.null(a) && sum(cov2cor(cov(X[, keep], use = "pairwise"))) <= 0) std <- NA
  emit("std_alpha", b$inst, "", b$dim, "", std, NA, NA, n)
  drop <- rep(NA, K)
  if (!is.null(a) && length(keep) > 2) drop[keep] <- a$alpha.drop$raw_alpha
  for (j in seq_len(K)) emit("alpha_if_deleted", b$inst, "", b$dim, colnames(X)[j], drop[j], NA, NA, n)
  # split-half on the pairwise covariance matrix of the kept items
  sp <- rep(NA, 4)
  if (n >= 2 && length(keep) >= 2) {
    C <- cov(X[, keep], use = "pairwise")
    odd <- which(keep %% 2 == 1); even <- which(keep %% 2 == 0)
    r <- sum(C[odd, even]) / sqrt(sum(C[odd, odd]) * sum(C[even, even]))
    sp[1] <- 2 * r / (1 + r)
    R <- cov2cor(C)
    if (length(keep) <= 20 && sum(R) > 0) sp[2:4] <- all_splits(R)
    if (length(keep) %% 2 == 0 && length(keep) <= 16 && !anyNA(X[, keep])) {
      s <- suppressMessages(splitHalf(X[, keep], check.keys = FALSE))
      if (max(abs(c(s$meanr, s$maxrb, s$minrb) - sp[2:4])) > 1e-12)
        stop("all-split enumeration disagrees with psych::splitHalf for ", b$inst, " ", b$dim)
      split_checked <<- split_checked + 1
    }
  }
  for (i in 1:4) emit(c("split_half_sb", "split_half_mean", "split_half_max", "split_half_min")[i],
                      b$inst, "", b$dim, "", sp[i], NA, NA, n)
  # beyond alpha: omega_total (minres.R: the exact one-factor minres solution of cor(x, use =
  # "pairwise")), psych's G6(smc) and r.drop; NA wherever alpha is NA
  om <- NA; l6 <- NA; rd <- rep(NA, K)
  if (!is.null(a)) {
    Rp <- cor(X[, keep], use = "pairwise")
    if (!anyNA(Rp)) om <- minres_omega(Rp)$omega
    if (sum(cov2cor(cov(X[, keep], use = "pairwise"))) > 0) l6 <- a$total[["G6(smc)"]]
    rd[keep] <- a$item.stats$r.drop
  }
  emit("omega_total", b$inst, "", b$dim, "", om, NA, NA, n)
  emit("lambda6", b$inst, "", b$dim, "", l6, NA, NA, n)
  for (j in seq_len(K)) emit("r_drop", b$inst, "", b$dim, colnames(X)[j], rd[j], NA, NA, n)
}

icc_block <- function(b) {
  names <- c("ICC(1,1)", "ICC(A,1)", "ICC(C,1)")
  k <- ncol(b$X)
  if (length(b$reps) < 2) {
    for (nm in names) emit(nm, b$inst, "", b$dim, "", NA, NA, NA, NA)
    return()
  }
  S <- do.call(cbind, lapply(b$reps, function(M) {
    a <- rowSums(!is.na(M))
    ifelse(a > 0 & a >= MIN_SHARE * k - 1e-9, rowSums(M, na.rm = TRUE) / pmax(a, 1), NA)
  }))
  S <- S[b$answered > 0, , drop = FALSE]
  S <- S[complete.cases(S), , drop = FALSE]
  n <- nrow(S)
  res <- if (n >= 2) icc_psych(S) else matrix(NA, 3, 3)
  for (i in 1:3) emit(names[i], b$inst, "", b$dim, "", res[i, 1], res[i, 2], res[i, 3], n)
}

# psych::ICC(S, lmer = FALSE) rows ICC1..ICC3 (value, lower, upper), with a mean square below 1e-12
# of the total mean square taken as exactly 0 (R's aov leaves ~1e-31 there): then the value is
# psych's, a bound from an infinite F is NA, and ICC3 is NA when it is 0/0.  NaN bounds stay NA.
icc_psych <- function(S) {
  n <- nrow(S); k <- ncol(S)
  sst <- sum((S - mean(S))^2)
  if (!(sst > 0)) return(matrix(NA, 3, 3))
  e <- S - outer(rowMeans(S), rep(1, k)) - outer(rep(1, n), colMeans(S)) + mean(S)
  mse <- sum(e^2) / ((n - 1) * (k - 1))
  msb <- k * sum((rowMeans(S) - mean(S))^2) / (n - 1)
  msj <- n * sum((colMeans(S) - mean(S))^2) / (k - 1)
  msw <- (msj * (k - 1) + mse * (n - 1) * (k - 1)) / (n * (k - 1))
  tiny <- 1e-12 * sst / (n * k - 1)
  ic <- suppressWarnings(suppressMessages(ICC(S, lmer = FALSE)))$results
  res <- as.matrix(ic[1:3, c("ICC", "lower bound", "upper bound")])
  res[is.nan(res)] <- NA
  if (msw <= tiny) res[1, 2:3] <- NA
  if (mse <= tiny) res[2:3, 2:3] <- NA
  if (mse <= tiny && msb <= tiny) res[3, 1] <- NA    # 0/0: psych prints the ratio of two residues
  unname(res)
}

style_block <- function(b, subjects) {
  r <- b$r; k <- 5
  took <- which(b$took)
  per <- function(f) {
    v <- sapply(took, function(s) f(r[r$subject == subjects[s], ]))
    v <- v[!is.na(v)]
    c(if (length(v)) mean(v) else NA, length(v))
  }
  ok <- function(x) x[x$status == "ok", ]
  v <- per(function(x) { o <- ok(x); if (nrow(o)) mean(o$option == 3) else NA })
  emit("neutral_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- per(function(x) {
    o <- ok(x); p <- o[o$key == "+", ]; m <- o[o$key == "-", ]
    if (!nrow(p) || !nrow(m)) NA else (mean(p$option > 3) + mean(m$option > 3)) / 2
  })
  emit("acquiescence", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- per(function(x) {
    o <- ok(x); if (!nrow(o)) return(NA)
    p <- table(o$option) / nrow(o); -sum(p * log2(p))
  })
  emit("option_entropy", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- per(function(x) if (nrow(x)) mean(x$status == "refusal") else NA)
  emit("refusal_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- per(function(x) if (nrow(x)) mean(x$status == "unparsed") else NA)
  emit("unparsed_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
}

# Per-subject style shares from counts, vectorised (the same definitions, for 19,719 subjects).
style_block_fast <- function(b, subjects) {
  r <- b$r
  s <- factor(r$subject, levels = subjects)
  cnt <- function(cond) as.vector(tapply(cond, s, sum, default = 0))
  all <- cnt(rep(TRUE, nrow(r))); okn <- cnt(r$status == "ok")
  o <- ifelse(r$status == "ok", r$option, NA)
  sel <- b$took
  m <- function(v) { v <- v[sel]; v <- v[!is.na(v)]; c(if (length(v)) mean(v) else NA, length(v)) }
  v <- m(ifelse(okn > 0, cnt(o %in% 3) / okn, NA))
  emit("neutral_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  np <- cnt(!is.na(o) & r$key == "+"); nn <- cnt(!is.na(o) & r$key == "-")
  ap <- cnt(!is.na(o) & r$key == "+" & o > 3); an <- cnt(!is.na(o) & r$key == "-" & o > 3)
  v <- m(ifelse(np > 0 & nn > 0, (ap / pmax(np, 1) + an / pmax(nn, 1)) / 2, NA))
  emit("acquiescence", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  h <- rep(0, length(subjects))
  for (opt in 1:5) {
    p <- ifelse(okn > 0, cnt(o %in% opt) / okn, 0)
    h <- h - ifelse(p > 0, p * log2(p), 0)
  }
  v <- m(ifelse(okn > 0, h, NA))
  emit("option_entropy", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- m(ifelse(all > 0, cnt(r$status == "refusal") / all, NA))
  emit("refusal_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- m(ifelse(all > 0, cnt(r$status == "unparsed") / all, NA))
  emit("unparsed_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
}

# acq_share trait_share acq_mean contradiction_rate of one block (vectorised: 19,719 subjects)
acq_block <- function(b, subjects) {
  ok <- b$r[b$r$status == "ok", ]
  s <- factor(ok$subject, levels = subjects)
  cnt <- function(v) as.vector(tapply(v, s, sum, default = 0))
  np <- cnt(ok$key == "+"); nn <- cnt(ok$key == "-")
  P <- ifelse(np > 0, cnt(ifelse(ok$key == "+", ok$option, 0)) / pmax(np, 1), NA)
  N <- ifelse(nn > 0, cnt(ifelse(ok$key == "-", ok$option, 0)) / pmax(nn, 1), NA)
  Tr <- (P - N) / 2; A <- (P + N) / 2 - 3
  # contradiction: per subject x repetition counts of the first ok answer of each item
  f <- ok[!duplicated(paste(ok$subject, ok$item, ok$rep)), ]
  g <- paste(f$subject, f$rep, sep = "\r")
  per <- function(v) tapply(v, g, sum)
  ap <- per(f$key == "+"); an <- per(f$key == "-")
  gp <- per(f$key == "+" & f$option > 3); gn <- per(f$key == "-" & f$option > 3)
  subj_of <- factor(sub("\r.*", "", names(ap)), levels = subjects)
  pairs <- as.vector(tapply(ap * an, subj_of, sum, default = 0))
  both <- as.vector(tapply(gp * gn, subj_of, sum, default = 0))
  cr <- ifelse(pairs > 0, both / pmax(pairs, 1), NA)
  took <- b$took
  sel <- took & !is.na(A) & !is.na(b$score)
  share <- function(x, y) {
    if (length(y) < 3 || all(y == y[1])) return(NA)
    if (all(x == x[1])) return(0)
    max(-1, min(1, cor(x, y)))^2
  }
  emit("acq_share", b$inst, "", b$dim, "", share(A[sel], b$score[sel]), NA, NA, sum(sel))
  emit("trait_share", b$inst, "", b$dim, "", share(Tr[sel], b$score[sel]), NA, NA, sum(sel))
  m <- function(v) { v <- v[took & !is.na(v)]; c(if (length(v)) mean(v) else NA, length(v)) }
  v <- m(A); emit("acq_mean", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
  v <- m(cr); emit("contradiction_rate", b$inst, "", b$dim, "", v[1], NA, NA, v[2])
}

faith <- function(resp, subj, crs = NULL, literal = FALSE, only_trc = FALSE, only_acq = FALSE) {
  subjects <- subj$subject
  resp <- prepare(resp)
  B <- blocks_of(resp, subjects)
  if (only_acq) {
    for (b in B) acq_block(b, subjects)
    return(invisible())
  }
  for (b in B) { v <- trc_block(b, literal); emit("TrC", b$inst, "", b$dim, "", v[1], NA, NA, v[2]) }
  if (only_trc) return(invisible())
  for (b in B) alpha_block(b)
  for (b in B) icc_block(b)
  for (i in seq_along(B)) for (j in seq_along(B)) {
    a <- B[[i]]; b <- B[[j]]
    if (j <= i || a$dim != b$dim || a$inst == b$inst) next
    r <- pr(a$score, b$score); ci <- if (is.na(r)) c(NA, NA) else fisher(a$score, b$score)
    emit("ExC", a$inst, b$inst, a$dim, "", r, ci[1], ci[2], sum(!is.na(a$score) & !is.na(b$score)))
  }
  for (b in B) {
    if (is.null(crs)) next
    y <- crs[cbind(match(subjects, rownames(crs)), match(b$dim, colnames(crs)))]
    r <- pr(b$score, y); ci <- if (is.na(r)) c(NA, NA) else fisher(b$score, y)
    emit("BC", b$inst, "", b$dim, "", r, ci[1], ci[2], sum(!is.na(b$score) & !is.na(y)))
  }
  for (b in B) {
    others <- Filter(function(o) o$inst == b$inst && o$dim != b$dim, B)
    sel <- !is.na(b$score)
    rs <- sapply(others, function(o) abs(pr(b$score[sel], o$score[sel])))
    rs <- rs[!is.na(rs)]
    emit("heterotrait_r", b$inst, "", b$dim, "", if (length(rs)) mean(rs) else NA, NA, NA, sum(sel))
  }
  for (b in B) if (length(subjects) > 1000) style_block_fast(b, subjects) else style_block(b, subjects)
  for (b in B) acq_block(b, subjects)
  models <- sorted(subj$model)
  for (i in seq_len(nrow(norms))) {
    nr <- norms[i, ]
    b <- Filter(function(o) o$inst == nr$instrument && o$dim == nr$dimension, B)
    if (!length(b)) next
    b <- b[[1]]
    for (m in models) {
      x <- b$score[subj$model == m]; x <- x[!is.na(x)]
      if (!length(x)) next
      z <- (mean(x) - nr$mean) / nr$sd
      emit("norm_z", b$inst, nr$population, b$dim, m, z, NA, NA, length(x))
      emit("norm_percentile", b$inst, nr$population, b$dim, m, 100 * pnorm(z), NA, NA, length(x))
    }
  }
  for (m in models) for (d in DIMS) {
    g <- which(subj$model == m & !is.na(subj$trait) & subj$trait == d)
    if (!length(g)) next
    for (b in Filter(function(o) o$dim == d, B)) {
      g2 <- g[b$took[g]]
      if (!length(g2)) next
      x <- subj$level[g2]; y <- b$score[g2]
      emit("steer_rho", b$inst, "", d, m, pr(x, y, "spearman"), NA, NA, sum(!is.na(y)))
      ok <- !is.na(y)
      mm <- tapply(y[ok], x[ok], mean)
      mm <- mm[order(as.numeric(names(mm)))]
      emit("steer_violations", b$inst, "", d, m, if (length(mm) < 2) NA else sum(diff(mm) < 0), NA, NA, sum(ok))
    }
  }
}

# ---- edge cases, on matrices that tests/test_faith.c builds by hand ----------------------------
# ICC: columns are repetitions of a one-item block; split-half: subjects x items of one repetition.
ICC_EDGES <- list(
  icc_shift = cbind(c(1, 2, 3, 4), c(2, 3, 4, 5)),        # zero residual: ICC(C,1) = 1, no ICC2/3 bounds
  icc_agree = cbind(c(1, 2, 3, 4), c(1, 2, 3, 4)),        # all three 1, no bounds
  icc_flat = cbind(c(1, 1, 1), c(2, 2, 2)),               # zero between and residual: ICC3 0/0
  icc_between0 = cbind(c(1, 5, 3), c(5, 1, 3)),           # zero between: F = 0, ICC2 bounds NaN
  icc_tinydf = cbind(c(5, 5, 5, 2), c(1, 1, 1, 3)))       # Satterthwaite df tiny: ICC2 lower NaN
SPLIT_HALF_X <- cbind(c(1, 2, 3, 4, 5, 2), 3, c(2, 2, 4, 3, 5, 1), 3, c(1, 3, 3, 5, 4, 2), 3,
                      c(2, 1, 4, 4, 5, 3), 3)              # items 2, 4, 6, 8 constant
KEYS_X <- cbind(c(1, 2, 3, 4, 5, 2), c(2, 2, 4, 3, 5, 1), c(5, 4, 3, 2, 1, 4), c(1, 3, 2, 4, 4, 2))
split_rows <- function(inst, X, keys) {
  colnames(X) <- paste0("i", seq_len(ncol(X)))
  keep <- which(apply(X, 2, sd) > 0)
  C <- cov(X[, keep])
  if (keys) {
    k <- ifelse(as.vector(principal(cor(X[, keep]))$loadings) < 0, -1, 1)
    C <- diag(k) %*% C %*% diag(k)
  }
  odd <- which(keep %% 2 == 1); even <- which(keep %% 2 == 0)
  sb <- NA
  if (length(odd) && length(even)) {
    r <- sum(C[odd, even]) / sqrt(sum(C[odd, odd]) * sum(C[even, even])); sb <- 2 * r / (1 + r)
  }
  s <- suppressWarnings(suppressMessages(splitHalf(X[, keep], check.keys = keys)))
  v <- c(sb, s$meanr, s$maxrb, s$minrb)
  for (i in 1:4) emit(c("split_half_sb", "split_half_mean", "split_half_max", "split_half_min")[i],
                      inst, "", "EXT", "", v[i], NA, NA, nrow(X))
}
edges <- function() {
  for (nm in names(ICC_EDGES)) {
    res <- icc_psych(ICC_EDGES[[nm]])
    for (i in 1:3) emit(c("ICC(1,1)", "ICC(A,1)", "ICC(C,1)")[i], nm, "", "EXT", "", res[i, 1], res[i, 2],
                        res[i, 3], nrow(ICC_EDGES[[nm]]))
  }
  write_rows("edges_icc", "ICC edge cases (ICC_EDGES in faith.R)")
  split_rows("split_one_half", SPLIT_HALF_X, FALSE)
  write_rows("edges_split", "split-half with one half empty (SPLIT_HALF_X in faith.R)")
  split_rows("split_keys", KEYS_X, TRUE)
  write_rows("edges_keys", "psych::splitHalf(check.keys = TRUE) on KEYS_X (--check-keys)")
}

# ---- the data sets ---------------------------------------------------------------------------
# Rscript tests/oracle/faith.R [SET ...]: only those sets (rb rb_literal steer acq_yes acq_trait cgb cgb_runs
# human edges)
sets <- commandArgs(trailingOnly = TRUE)
want <- function(set) !length(sets) || set %in% sets
if (want("edges")) edges()
native <- function(path) {
  d <- stream_in(file(path), verbose = FALSE)
  if (is.null(d$persona)) d$persona <- NA
  if (is.null(d$answer)) d$answer <- NA
  d$status <- ifelse(!is.na(d$option), "ok", ifelse(grepl("as an ai", tolower(d$answer)), "refusal", "unparsed"))
  d$subject <- paste(d$model, d$temperature, d$persona, sep = "|")
  d
}
subjects_of <- function(d) {
  s <- d[!duplicated(d$subject), c("subject", "model", "persona")]
  tr <- sub("=.*", "", s$persona); lv <- suppressWarnings(as.numeric(sub("^[^=]*=", "", s$persona)))
  s$trait <- ifelse(grepl("=", s$persona) & !is.na(lv), TRAITS[tr], NA)
  s$level <- ifelse(is.na(s$trait), NA, lv)
  s
}

# RealBehavior-shaped fixture, with criterion scores
rb <- native(file.path(odir, "rb.jsonl"))
rs <- subjects_of(rb)
c0 <- read.csv(file.path(odir, "rb_crs.csv"))
crs <- matrix(NA, nrow(rs), 5, dimnames = list(rs$subject, DIMS))
crs[cbind(match(paste(c0$model, c0$temperature, NA, sep = "|"), rs$subject), match(c0$dimension, DIMS))] <- c0$value
if (want("rb")) {
  faith(rb, rs, crs)
  write_rows("rb", "tests/oracle/faith/rb.jsonl with rb_crs.csv")
}
if (want("rb_literal")) {
  faith(rb, rs, literal = TRUE, only_trc = TRUE)
  write_rows("rb_literal", "tests/oracle/faith/rb.jsonl, TrC by the printed Eq. 2 (--trc-literal)")
}

if (want("steer")) {
  st <- native(file.path(odir, "steer.jsonl"))
  faith(st, subjects_of(st))
  write_rows("steer", "tests/oracle/faith/steer.jsonl")
}

# an acquiescent model (agrees with everything, more or less strongly) and a trait-driven one
for (set in c("acq_yes", "acq_trait")) if (want(set)) {
  a <- native(file.path(odir, paste0(set, ".jsonl")))
  faith(a, subjects_of(a), only_acq = TRUE)
  write_rows(set, paste0("tests/oracle/faith/", set, ".jsonl, acquiescence metrics only (--metric acq)"))
}

# ChatGPT-Behavioral: 30 sessions = repetitions of one subject; the authors' own parsed choices
cg <- fromJSON("fixtures/transcripts/chatgpt-behavioral-bigfive.json", simplifyVector = FALSE)
codes <- banks$item[banks$instrument == "IPIP-50"]
model <- cg$responses[[1]][[1]]$model
d <- do.call(rbind, lapply(seq_along(cg$choices), function(r) {
  o <- unlist(lapply(cg$choices[[r]], function(v) if (is.null(v)) NA else v))
  data.frame(model = model, temperature = NA, persona = NA, rep = r - 1, instrument = "IPIP-50",
             item = codes, option = o, status = ifelse(is.na(o), "unparsed", "ok"), stringsAsFactors = FALSE)
}))
d$subject <- paste(d$model, NA, NA, sep = "|")
if (want("cgb")) {
  faith(d, subjects_of(d))
  write_rows("cgb", "fixtures/transcripts/chatgpt-behavioral-bigfive.json (authors' choices)")
}
# --units runs: each of the 30 sessions is a respondent of its own (psych::alpha on runs x items, the
# answers of that run alone), as most LLM-personality papers compute alpha; only the alpha family
# (InC std_alpha alpha_if_deleted split_half_*) changes, so only it is written
if (want("cgb_runs")) {
  dr <- d
  dr$subject <- paste(dr$model, "run", dr$rep)
  for (b in blocks_of(prepare(dr), unique(dr$subject))) alpha_block(b)
  write_rows("cgb_runs", "fixtures/transcripts/chatgpt-behavioral-bigfive.json (authors' choices), each run a respondent (--units runs)")
}

# 19,719 openpsychometrics respondents; 0 = not answered
hf <- file.path(shared, "data/chatgpt-behavioral/data/bigfive_data.csv")
if (want("human") && file.exists(hf)) {
  h <- read.delim(hf)
  items <- banks[banks$instrument == "IPIP-50", ]
  opt <- as.matrix(h[, items$item]); opt[opt == 0] <- NA
  n <- nrow(opt)
  d <- data.frame(model = "human", persona = paste("row", rep(seq_len(n) + 1, times = ncol(opt))),
                  rep = 0, instrument = "IPIP-50", item = rep(items$item, each = n),
                  option = as.vector(opt), stringsAsFactors = FALSE)
  d <- d[!is.na(d$option), ]
  d$status <- "ok"
  d$subject <- d$persona
  s <- d[!duplicated(d$subject), c("subject", "model", "persona")]
  s$trait <- NA; s$level <- NA
  faith(d, s)
  write_rows("human", "bigfive_data.csv, 19,719 respondents, IPIP-50, 0 = missing")
}
