# tests/oracle/structure_cfa.R -- reference values for metrics/structure_cfa.c (issue 15 parts 2 and 4).
# Run from the top of the worktree:  Rscript tests/oracle/structure_cfa.R
# Writes the generated data sets into fixtures/structure/gen_*.csv and, per case,
# tests/data/structure_cfa/<case>.txt, which tests/test_structure_cfa.c reads (CI does not run R).
# Model: each item on its dimension, correlated factors, std.lv = TRUE, estimator ML,
# likelihood "normal" (S with divisor N); invariance as lavaan group = ..., group.equal = ....
suppressPackageStartupMessages({ library(lavaan); library(MASS) })
options(digits = 17)
out_dir <- "tests/data/structure_cfa"
fx <- "fixtures/structure"
# With lavaan's default nlminb stopping rule (rel.tol 1e-10 on F) its estimates sit ~1e-5 off the
# optimum (median 3e-6), too coarse for a 1e-6 comparison, and nlminb reports "false convergence"
# at tighter rel.tol.  lavaan's optim.method = "BFGS" with reltol 1e-16 reaches max |gradient|
# ~1e-8: the same model and optimum, a tighter stopping rule.
ctl <- list(reltol = 1e-16, maxit = 100000)

# The exact RMSEA 90 % interval (lavaan's formula, but uniroot to 1e-14: lavaan's default
# tolerance leaves ~1e-5 of slack, which the C code's root finder does not have).
rmsea_ci <- function(X2, df, N, G) {
  lo <- function(l) pchisq(X2, df, ncp = l) - 0.95
  up <- function(l) pchisq(X2, df, ncp = l) - 0.05
  if (df < 1 || lo(0) < 0) L <- 0 else
    L <- sqrt(uniroot(lo, c(0, X2), tol = 1e-14)$root / (N * df)) * sqrt(G)
  NR <- max(N, 4 * X2)
  if (df < 1 || up(NR) > 0 || up(0) < 0) U <- 0 else
    U <- sqrt(uniroot(up, c(0, NR), tol = 1e-14)$root / (N * df)) * sqrt(G)
  c(L, U)
}

emit_fit <- function(con, tag, fit, G, N) {
  fm <- fitMeasures(fit)
  ci <- rmsea_ci(fm[["chisq"]], fm[["df"]], N, G)
  names <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli",
             "rmsea", "srmr", "logl", "aic", "bic")
  for (n in names) cat(sprintf("fit %s %s %.17g\n", tag, n, fm[[n]]), file = con)
  cat(sprintf("fit %s rmsea.ci.lower %.17g\n", tag, ci[1]), file = con)
  cat(sprintf("fit %s rmsea.ci.upper %.17g\n", tag, ci[2]), file = con)
  # lavaan's own (uniroot-tolerance) interval, for a loose check
  cat(sprintf("fitloose %s rmsea.ci.lower %.17g\n", tag, fm[["rmsea.ci.lower"]]), file = con)
  cat(sprintf("fitloose %s rmsea.ci.upper %.17g\n", tag, fm[["rmsea.ci.upper"]]), file = con)
  ok <- suppressWarnings(lavInspect(fit, "post.check"))
  cat(sprintf("check %s converged %d\n", tag, as.integer(lavInspect(fit, "converged"))), file = con)
  cat(sprintf("check %s admissible %d\n", tag, as.integer(ok)), file = con)
}

emit_par <- function(con, tag, fit, items, facs) {
  pe <- parameterEstimates(fit)
  if (is.null(pe$group)) pe$group <- 1L
  for (r in seq_len(nrow(pe))) {
    p <- pe[r, ]
    kind <- NULL
    if (p$op == "=~") { kind <- "lambda"; i <- match(p$rhs, items); j <- match(p$lhs, facs) }
    else if (p$op == "~~" && p$lhs %in% items) { kind <- "theta"; i <- match(p$lhs, items); j <- i }
    else if (p$op == "~~" && p$lhs %in% facs) { kind <- "phi"; i <- match(p$lhs, facs); j <- match(p$rhs, facs) }
    else if (p$op == "~1" && p$lhs %in% items) { kind <- "nu"; i <- match(p$lhs, items); j <- 0 }
    else if (p$op == "~1" && p$lhs %in% facs) { kind <- "alpha"; i <- match(p$lhs, facs); j <- 0 }
    if (is.null(kind)) next
    se <- ifelse(is.na(p$se), 0, p$se)
    cat(sprintf("par %s %d %s %d %d %.17g %.17g\n", tag, p$group, kind, i, j, p$est, se), file = con)
  }
}

# One case: a data file, the items, their factors, an optional group column.
run_case <- function(name, file, d, items, fac, group = NULL, note = "", rows = nrow(d), filter = "-") {
  facs <- unique(fac)
  model <- paste(sapply(facs, function(f) paste(f, "=~", paste(items[fac == f], collapse = " + "))),
                 collapse = "\n")
  con <- file(file.path(out_dir, paste0(name, ".txt")), "w")
  cat(sprintf("# %s: written by tests/oracle/structure_cfa.R with lavaan %s; %s\n", name,
              packageVersion("lavaan"), note), file = con)
  cat(sprintf("data %s\n", file), file = con)
  cat(sprintf("rows %d\n", rows), file = con)  # the first rows of the file (after the filter)
  cat(sprintf("filter %s\n", filter), file = con)  # COLUMN=VALUE or -
  cat("items", items, "\n", file = con)
  cat("factor", match(fac, facs), "\n", file = con)
  if (is.null(group)) {
    cat("group -\n", file = con)
    fit <- cfa(model, data = d, estimator = "ML", std.lv = TRUE, optim.method = "BFGS", control = ctl)
    emit_fit(con, "single", fit, 1, nrow(d)); emit_par(con, "single", fit, items, facs)
  } else {
    levs <- sort(unique(d[[group]]))
    d[[group]] <- factor(d[[group]], levels = levs)
    d <- d[order(d[[group]]), ]
    cat("group", group, levs, "\n", file = con)
    fits <- list(
      configural = cfa(model, data = d, group = group, estimator = "ML", std.lv = TRUE, optim.method = "BFGS", control = ctl),
      metric = cfa(model, data = d, group = group, estimator = "ML", std.lv = TRUE, optim.method = "BFGS", control = ctl,
                   group.equal = "loadings"),
      scalar = cfa(model, data = d, group = group, estimator = "ML", std.lv = TRUE, optim.method = "BFGS", control = ctl,
                   group.equal = c("loadings", "intercepts")))
    for (s in names(fits)) {
      emit_fit(con, s, fits[[s]], length(levs), nrow(d)); emit_par(con, s, fits[[s]], items, facs)
    }
    for (st in list(c("configural", "metric"), c("metric", "scalar"))) {
      t <- lavTestLRT(fits[[st[1]]], fits[[st[2]]])
      cat(sprintf("lrt %s %.17g %.17g %.17g\n", st[2], t[2, "Chisq diff"], t[2, "Df diff"],
                  t[2, "Pr(>Chisq)"]), file = con)
      cat(sprintf("dcfi %s %.17g\n", st[2],
                  fitMeasures(fits[[st[2]]], "cfi") - fitMeasures(fits[[st[1]]], "cfi")), file = con)
    }
  }
  close(con)
}

# (a) the human IPIP-50 respondents (openpsychometrics BIG5; see fixtures/SOURCES.md)
ip <- read.csv(file.path(fx, "ipip50_600.csv"))
ipi <- names(ip)[-1]
run_case("ipip50", file.path(fx, "ipip50_600.csv"), ip, ipi, substr(ipi, 1, 1),
         note = "600 human respondents, 50 items on 5 factors")
ip4 <- ip[1:400, ]
run_case("ipip50_gender", file.path(fx, "ipip50_600.csv"), ip4, ipi[c(1:10, 41:50)],
         substr(ipi[c(1:10, 41:50)], 1, 1), group = "gender", rows = 400,
         note = "first 400 rows, E and O items, invariance across gender")

# (b) generated: a known three-factor structure, two dimensions merged, a method factor
likert <- function(x) pmin(5, pmax(1, round(3 + x)))
gen <- function(seed, n, phi, lam, method = 0) {
  set.seed(seed)
  k <- ncol(phi)
  f <- mvrnorm(n, rep(0, k), phi)
  p <- length(lam$fac)
  m <- rnorm(n)
  x <- sapply(seq_len(p), function(i) {
    s <- lam$sign[i]
    s * lam$l[i] * f[, lam$fac[i]] + (if (s < 0) method * m else 0) + rnorm(n, 0, sqrt(1 - lam$l[i]^2))
  })
  x[] <- likert(1.1 * x)
  colnames(x) <- paste0(c("A", "B", "C")[lam$fac], ave(lam$fac, lam$fac, FUN = seq_along))
  as.data.frame(x)
}
lam <- list(fac = rep(1:3, each = 6), l = rep(c(.75, .7, .65, .6, .7, .55), 3),
            sign = rep(c(1, 1, 1, -1, 1, -1), 3))
phi3 <- matrix(c(1, .3, .2, .3, 1, .25, .2, .25, 1), 3)
write_gen <- function(name, d, note, group = NULL) {
  f <- file.path(fx, paste0(name, ".csv")); write.csv(d, f, row.names = FALSE, quote = FALSE)
  items <- setdiff(names(d), "model")
  run_case(name, f, d, items, substr(items, 1, 1), group = group, note = note)
}
known <- gen(15, 500, phi3, lam)
write_gen("gen_known", known, "3 factors x 6 items, 2 reverse-keyed each, N = 500")
# merged: A and B are one dimension (r = 1) in the population, fitted as two
phim <- phi3; phim[1, 2] <- phim[2, 1] <- 0.999999; phim[2, 3] <- phim[3, 2] <- .2
write_gen("gen_merged", gen(16, 300, phim, lam), "dimensions A and B merged (population r = 1), N = 300")
write_gen("gen_method", gen(17, 500, phi3, lam, method = 0.6),
          "method factor (0.6) on the reverse-keyed items, N = 500")
# invariance: two 'models', the second with two loadings and two intercepts changed
k1 <- gen(18, 400, phi3, lam); k2 <- gen(19, 400, phi3, lam)
k2$A2 <- pmin(5, k2$A2 + 1); k2$B3 <- likert(0.3 * (k2$B3 - 3))
inv <- rbind(cbind(model = "m1", k1), cbind(model = "m2", k2))
write_gen("gen_invariance", inv, "two models of 400, model m2 shifts A2 and flattens B3", group = "model")

# (c) PersonaLLM BFI-44 answers, gpt-3.5-turbo-0613 and gpt-4-0613 (320 persona runs each)
pl <- read.csv(file.path(fx, "personallm_bfi.csv"))
key <- read.csv(file.path(fx, "personallm_bfi_key.csv"))
pitems <- key$item; pfac <- substr(key$trait, 1, 1)
for (m in unique(pl$model)) {
  tag <- ifelse(grepl("gpt-4", m), "personallm_gpt4", "personallm_gpt35")
  run_case(tag, file.path(fx, "personallm_bfi.csv"), pl[pl$model == m, ], pitems, pfac,
           note = paste("PersonaLLM BFI-44,", m), filter = paste0("model=", m))
}
run_case("personallm_inv", file.path(fx, "personallm_bfi.csv"), pl, pitems, pfac, group = "model",
         note = "PersonaLLM BFI-44, invariance across the two models")
