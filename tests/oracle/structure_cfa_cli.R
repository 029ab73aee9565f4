# tests/oracle/structure_cfa_cli.R -- reference values for `psyfaith structure --cfa` (tests/cli/structure_cfa.sh).
# Run from the top of the worktree:  Rscript tests/oracle/structure_cfa_cli.R
# The data are the fixtures tests/cli/structure.sh loads (fixtures/structure/ipip50_human_500.tsv and
# study_{good,merged,method}.tsv, 0 = missing): lavaan::cfa per model, listwise (lavaan's default), and the
# invariance steps across human, good and method.  Writes tests/oracle/structure_cfa_expected.csv:
#   model,method,factor,factor_b,item,statistic,value   (psyfaith's row keys; model 'all' = invariance)
suppressPackageStartupMessages(library(lavaan))
options(digits = 17)
fx <- "fixtures/structure"
ctl <- list(reltol = 1e-16, maxit = 100000)   # see structure_cfa.R: lavaan's optimum to ~1e-8
dims <- c(E = "EXT", A = "AGR", C = "CONS", N = "EMO", O = "OPEN")
rd <- function(f) { d <- read.delim(file.path(fx, f)); d[d == 0] <- NA; d }
d <- list(human = rd("ipip50_human_500.tsv"), good = rd("study_good.tsv"), merged = rd("study_merged.tsv"),
          method = rd("study_method.tsv"))
items <- paste0(rep(c("E", "N", "A", "C", "O"), each = 10), 1:10)
d <- lapply(d, function(x) x[, items])
model <- paste(sapply(c("E", "A", "C", "N", "O"), function(f)
  paste(dims[[f]], "=~", paste(items[substr(items, 1, 1) == f], collapse = " + "))), collapse = "\n")
out <- data.frame()
add <- function(model, method, factor, factor_b, item, statistic, value)
  out <<- rbind(out, data.frame(model, method, factor, factor_b, item, statistic, value))
fitrows <- function(m, method, fit) {
  fm <- fitMeasures(fit)
  for (n in c("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "logl", "aic", "bic"))
    add(m, method, "", "", "", n, fm[[n]])
  # lavaan's interval to uniroot's tolerance (checked loosely; the unit test checks the exact roots)
  add(m, method, "", "", "", "rmsea_lo~", fm[["rmsea.ci.lower"]])
  add(m, method, "", "", "", "rmsea_hi~", fm[["rmsea.ci.upper"]])
}
for (m in names(d)) {
  fit <- cfa(model, data = d[[m]], std.lv = TRUE, optim.method = "BFGS", control = ctl)
  if (!suppressWarnings(lavInspect(fit, "post.check"))) { add(m, "ml", "", "", "", "fit", NA); next }
  fitrows(m, "ml", fit)
  pe <- parameterEstimates(fit)
  for (r in seq_len(nrow(pe))) {
    p <- pe[r, ]
    if (p$op == "=~") {
      add(m, "ml", p$lhs, "", p$rhs, "loading", p$est); add(m, "ml", p$lhs, "", p$rhs, "loading.se", p$se)
    } else if (p$op == "~~" && p$lhs %in% items) {
      f <- dims[[substr(p$lhs, 1, 1)]]
      add(m, "ml", f, "", p$lhs, "residual_variance", p$est); add(m, "ml", f, "", p$lhs, "residual_variance.se", p$se)
    } else if (p$op == "~~" && p$lhs != p$rhs) {
      add(m, "ml", p$lhs, p$rhs, "", "factor_correlation", p$est)
      add(m, "ml", p$lhs, p$rhs, "", "factor_correlation.se", p$se)
    }
  }
}
# invariance across human, good, method (the store of the CLI test's second part)
g <- rbind(cbind(d$human, model = "human"), cbind(d$good, model = "good"), cbind(d$method, model = "method"))
g$model <- factor(g$model, levels = c("good", "human", "method"))   # psyfaith's model order: by name
fits <- list()
for (s in list(c("configural", ""), c("metric", "loadings"), c("scalar", "intercepts"))) {
  eq <- switch(s[1], configural = "", metric = "loadings", scalar = c("loadings", "intercepts"))
  fits[[s[1]]] <- cfa(model, data = g, group = "model", group.equal = eq, std.lv = TRUE,
                      optim.method = "BFGS", control = ctl)
  fitrows("all", s[1], fits[[s[1]]])
}
for (st in list(c("configural", "metric"), c("metric", "scalar"))) {
  t <- lavTestLRT(fits[[st[1]]], fits[[st[2]]])
  add("all", st[2], "", "", "", "delta_chisq", t[2, "Chisq diff"])
  add("all", st[2], "", "", "", "delta_df", t[2, "Df diff"])
  add("all", st[2], "", "", "", "delta_pvalue", t[2, "Pr(>Chisq)"])
  add("all", st[2], "", "", "", "delta_cfi", fitMeasures(fits[[st[2]]], "cfi") - fitMeasures(fits[[st[1]]], "cfi"))
}
out$value <- sprintf("%.17g", out$value)
write.csv(out, "tests/oracle/structure_cfa_expected.csv", row.names = FALSE, quote = FALSE)
cat(nrow(out), "rows\n")
