# tests/oracle/varcomp.R -- reference values of `psyfaith metrics --metric varcomp`
# (metrics/varcomp.c), computed with R and lme4 from the cells of the fixture designs, without psyfaith.
#
# Run from the repository root (needs R with lme4; CI does not run this):
#   python3 tests/oracle/varcomp_fixtures.py && Rscript tests/oracle/varcomp.R
# Reads tests/oracle/varcomp/<design>_cells.csv (model, persona, template, language, variant, rep, y:
# one cell = the per-item mean of one subject x template x language x variant x repetition).
# Writes tests/oracle/varcomp/<design>.expected: a comment line, then tab-separated rows
#   component  lmer_variance  lmer_share  anova_variance  anova_raw  levels
# with 17 significant digits; NA where a value does not exist (a factor with one level is not in the
# model; anova_* only for balanced designs), and a last row "deviance <REML criterion> NA NA NA NA".
#
#   lmer      lme4::lmer(y ~ 1 + (1|model) + (1|persona) + ... , REML = TRUE) over the factors with
#             2+ levels, with nlopt's BOBYQA run to tight tolerances (x and f to 1e-14 and 1e-16) so that its
#             optimum is good to well under the 1e-6 the tests allow
#   anova     the expected-mean-squares estimates from the sequential sums of squares of lm() (which
#             are the orthogonal ones in a balanced design): sigma2_A = (MS_A - MS_e) / (N / a)
#             (anova_raw, may be negative); anova_variance pools a negative one into the residual,
#             smallest mean square first, as metrics/varcomp.c does: the REML solution, which must
#             equal lmer's (checked below)
suppressPackageStartupMessages(library(lme4))
dir <- "tests/oracle/varcomp"
factors <- c("model", "persona", "template", "language", "variant", "rep")
names_out <- c("model", "persona", "template", "language", "variant", "repetition", "residual")
fmt <- function(x) ifelse(is.na(x), "NA", formatC(x, digits = 17, format = "g"))

for (design in c("balanced", "trunc", "unbalanced", "stall")) {
  d <- read.csv(file.path(dir, paste0(design, "_cells.csv")), colClasses = "character")
  d$y <- as.numeric(d$y)
  for (f in factors) d[[f]] <- factor(d[[f]])
  inm <- factors[sapply(factors, function(f) nlevels(d[[f]]) >= 2)]
  form <- as.formula(paste("y ~ 1 +", paste0("(1|", inm, ")", collapse = " + ")))
  ctl <- lmerControl(optimizer = "nloptwrap", calc.derivs = FALSE,
                     optCtrl = list(algorithm = "NLOPT_LN_BOBYQA", xtol_abs = 1e-14, ftol_abs = 1e-16,
                                    xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e6))
  fit <- lmer(form, data = d, REML = TRUE, control = ctl)
  vc <- as.data.frame(VarCorr(fit))
  lv <- setNames(rep(NA_real_, 7), names_out)
  for (i in seq_along(factors)) {
    f <- factors[i]
    if (f %in% inm) lv[i] <- vc$vcov[vc$grp == f]
  }
  lv[7] <- vc$vcov[vc$grp == "Residual"]
  share <- lv / sum(lv, na.rm = TRUE)
  # balanced?  every combination of the levels in the model the same number of times
  tab <- table(d[, inm, drop = FALSE])
  balanced <- all(tab == tab[1]) && tab[1] >= 1
  av <- setNames(rep(NA_real_, 7), names_out)
  raw <- av
  if (balanced) {
    a <- anova(lm(as.formula(paste("y ~", paste(inm, collapse = " + "))), data = d))
    n <- nrow(d)
    mse <- a["Residuals", "Mean Sq"]
    ms <- setNames(a[inm, "Mean Sq"], inm)
    df <- setNames(a[inm, "Df"], inm)
    for (i in seq_along(factors)) if (factors[i] %in% inm)
      raw[i] <- (ms[factors[i]] - mse) / (n / nlevels(d[[factors[i]]]))
    raw[7] <- mse
    pss <- a["Residuals", "Sum Sq"]; pdf <- a["Residuals", "Df"]; pooled <- c()
    for (f in names(sort(ms))) if (ms[f] < pss / pdf) {
      pooled <- c(pooled, f); pss <- pss + ms[f] * df[f]; pdf <- pdf + df[f]
    } else break
    s2 <- pss / pdf
    for (i in seq_along(factors)) if (factors[i] %in% inm)
      av[i] <- if (factors[i] %in% pooled) 0 else (ms[factors[i]] - s2) / (n / nlevels(d[[factors[i]]]))
    av[7] <- s2
    stopifnot(max(abs(av - lv), na.rm = TRUE) < 1e-6)
  }
  levels <- c(sapply(factors, function(f) nlevels(d[[f]])), NA)
  out <- file.path(dir, paste0(design, ".expected"))
  con <- file(out, "w")
  writeLines(sprintf("# varcomp.R: %s, %d cells, balanced %s, lme4 %s", design, nrow(d), balanced,
                     packageVersion("lme4")), con)
  for (i in 1:7)
    writeLines(paste(names_out[i], fmt(lv[i]), fmt(share[i]), fmt(av[i]), fmt(raw[i]), fmt(levels[i]),
                     sep = "\t"), con)
  writeLines(paste("deviance", fmt(REMLcrit(fit)), "NA", "NA", "NA", "NA", sep = "\t"), con)
  close(con)
  cat(design, ": balanced", balanced, "\n")
  print(cbind(lmer = lv, anova = av, raw = raw))
}

# A hand case of tests/test_varcomp.c: one-way, unbalanced (models a a a b c c, y 1 2 3 5 2 4).
# Writes tests/oracle/varcomp/oneway.expected: "model <var>", "residual <var>", "deviance <crit>".
d <- data.frame(m = factor(c("a", "a", "a", "b", "c", "c")), y = c(1, 2, 3, 5, 2, 4))
fit <- lmer(y ~ 1 + (1|m), data = d, REML = TRUE, control = ctl)
vc <- as.data.frame(VarCorr(fit))
writeLines(c("# varcomp.R: one-way unbalanced hand case",
             paste("model", fmt(vc$vcov[vc$grp == "m"]), sep = "\t"),
             paste("residual", fmt(vc$vcov[vc$grp == "Residual"]), sep = "\t"),
             paste("deviance", fmt(REMLcrit(fit)), sep = "\t")), file.path(dir, "oneway.expected"))
