# tests/oracle/structure_efa.R -- reference values of psyfaith structure's EFA (tests/cli/structure.sh reads
# tests/oracle/structure_efa_expected.csv).  R 4.2, psych 2.2.9, GPArotation 2022.10-2, polycor 0.8-1.
# Run from the top of the tree: Rscript tests/oracle/structure_efa.R
#
# Data: fixtures/structure/ipip50_human_500.tsv (the first 500 openpsychometrics IPIP-50 respondents, model
# "human") and the synthetic fixtures/structure/study_{good,merged,method}.tsv (gen_structure.py), 0 = missing,
# raw options (no reverse keying), as psyfaith structure sees them.
#
# Extraction: psych::fa(R, k, fm, rotate = "none") stops R's L-BFGS-B at factr = 1e7, about 1e-5 short of
# the optimum of its own criterion (printed below as "psych stop").  The reference is psych's solution
# polished with the same criterion and gradient (psych's fit.residuals/FAgr.minres, FAfn/FAgr) by optim
# with factr = 1, then psych's own steps: sign(colSums), stats::varimax or GPArotation::oblimin, sign,
# order by diag(Phi t(L) L).  That these steps are psych's is checked on psych's unpolished loadings.
# Polychoric: polycor::polychor(x, y, ML = FALSE) per pair.
# PersonaLLM (c): fixtures/transcripts/personallm-gpt-4-0613 (32 personas x 10 runs of gpt-4-0613 on the
# simplified BFI-44), parsed by psyfaith (ingest --profile personallm-bfi; the parse is tested against the
# authors' scores by tests/cli/real_data.sh) and exported; the matrices are built here: runs (first ok answer
# of each item in each run) and subjects (majority vote, ties to the option nearest 3, then the lower).
# Needs the binary: PSYFAITH=build/psyfaith (default).
suppressMessages({ library(psych); library(GPArotation); library(polycor) })
options(digits = 17)

bank <- read.csv("fixtures/banks/ipip-50.csv", stringsAsFactors = FALSE)
read_wide <- function(f) {
    d <- read.delim(f, check.names = FALSE)
    x <- as.matrix(d[, bank$item])
    x[x == 0] <- NA
    x
}
data <- list(human = read_wide("fixtures/structure/ipip50_human_500.tsv"),
             good = read_wide("fixtures/structure/study_good.tsv"),
             merged = read_wide("fixtures/structure/study_merged.tsv"),
             method = read_wide("fixtures/structure/study_method.tsv"))

psyfaith <- Sys.getenv("PSYFAITH", "build/psyfaith")
db <- tempfile(fileext = ".db")
stopifnot(system2(psyfaith, c("init", "--db", db, "--quiet")) == 0,
          system2(psyfaith, c("ingest", "--db", db, "--quiet", "--profile", "personallm-bfi", "--set", "model=gpt-4-0613",
                              Sys.glob("fixtures/transcripts/personallm-gpt-4-0613/*.json"))) == 0)
pl <- read.csv(text = system2(psyfaith, c("export", "responses", "--db", db, "--format", "csv"), stdout = TRUE),
               stringsAsFactors = FALSE)
pl <- pl[pl$status == "ok" & pl$instrument == "PersonaLLM-BFI", ]
plbank <- read.csv("fixtures/banks/personallm-bfi.csv", stringsAsFactors = FALSE)
pl$subject <- paste(pl$model, pl$temperature, pl$persona, pl$condition)
pl$run <- paste(pl$subject, pl$rep)
first <- pl[!duplicated(pl[c("run", "item")]), ]
to_matrix <- function(rows, cols, v) {
    m <- matrix(NA_real_, length(unique(rows)), nrow(plbank), dimnames = list(unique(rows), plbank$item))
    m[cbind(match(rows, rownames(m)), match(cols, plbank$item))] <- v
    m
}
vote <- function(v) { t <- table(factor(v, levels = 1:5)); c <- which(t == max(t)); c[order(abs(c - 3), c)][1] }
voted <- aggregate(option ~ subject + item, data = pl, FUN = vote)
data[["pl_runs"]] <- to_matrix(first$run, as.character(first$item), first$option)
data[["pl_subjects"]] <- to_matrix(voted$subject, as.character(voted$item), voted$option)
banks <- list(pl_runs = plbank, pl_subjects = plbank)
labels <- list(pl_runs = "gpt-4-0613", pl_subjects = "gpt-4-0613")

fit.residuals <- function(Psi, S, nf) {
    diag(S) <- 1 - Psi
    e <- eigen(S)
    e$values[e$values < .Machine$double.eps] <- 100 * .Machine$double.eps
    L <- e$vectors[, 1:nf, drop = FALSE] %*% diag(sqrt(e$values[1:nf]), nf)
    r <- S - L %*% t(L)
    sum(r[lower.tri(r)]^2)
}
# The unweighted least squares criterion with Psi free, 0.5 ||S - Psi - LL'||^2, whose gradient is exactly
# psych's FAgr.minres; psych minimises the off-diagonal sum (fit.residuals) with that same gradient, and
# both have their optimum where FAgr.minres vanishes, which is checked below.
uls <- function(Psi, S, nf) {
    E <- eigen(S - diag(Psi), symmetric = TRUE)
    L <- E$vectors[, 1:nf, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:nf], 0)), nf)
    sum((S - diag(Psi) - L %*% t(L))^2) / 2
}
FAgr.minres <- function(Psi, S, nf) {
    E <- eigen(S - diag(Psi), symmetric = TRUE)
    L <- E$vectors[, 1:nf, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:nf], 0)), nf)
    diag(L %*% t(L) + diag(Psi) - S)
}
FAfn <- function(Psi, S, nf) {
    sc <- diag(1/sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE, only.values = TRUE)
    e <- E$values[-(1:nf)]
    -(sum(log(e) - e) - nf + nrow(S))
}
FAgr <- function(Psi, S, nf) {
    sc <- diag(1/sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE)
    load <- diag(sqrt(Psi)) %*% (E$vectors[, 1:nf, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:nf] - 1, 0)), nf))
    diag(load %*% t(load) + diag(Psi) - S)/Psi^2
}
FAout <- function(Psi, S, q) {
    sc <- diag(1/sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE)
    diag(sqrt(Psi)) %*% (E$vectors[, 1:q, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:q] - 1, 0)), q))
}
FAout.wls <- function(Psi, S, q) {
    diag(S) <- diag(S) - Psi
    E <- eigen(S, symmetric = TRUE)
    E$vectors[, 1:q, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:q], 0)), q)
}

polished <- function(R, k, fm, n) {
    f0 <- fa(R, k, n.obs = n, fm = fm, rotate = "none", warnings = FALSE)
    psi <- 1 - f0$communalities
    ctl <- list(factr = 1, pgtol = 0, parscale = rep(0.01, nrow(R)), maxit = 100000)
    for (pass in 1:3) {
        o <- if (fm == "minres") optim(psi, uls, FAgr.minres, method = "L-BFGS-B", lower = 0.005, upper = 1,
                                       control = ctl, nf = k, S = R)
             else optim(psi, FAfn, FAgr, method = "L-BFGS-B", lower = 0.005, upper = 1, control = ctl, nf = k, S = R)
        psi <- o$par
    }
    # then the fixed point of both criteria, Psi = diag(S - LL'), to a gradient below 1e-11 (L-BFGS-B stalls
    # near 1e-7 on some of these data)
    for (it in 1:20000) {
        L <- if (fm == "minres") FAout.wls(psi, R, k) else FAout(psi, R, k)
        g <- diag(L %*% t(L) + diag(psi) - R)
        if (max(abs(g)) < 1e-11) break
        psi <- psi - g
    }
    g <- if (fm == "minres") FAgr.minres(psi, R, k) else FAgr(psi, R, k)
    cat(sprintf("  %s k=%d: psych stop max|dPsi| %.2e, polished gradient %.1e after %d fixed-point steps\n", fm, k,
                max(abs(psi - (1 - f0$communalities))), max(abs(g)), it))
    stopifnot(max(abs(g)) < 1e-7, min(psi) > 0.005)
    list(L = if (fm == "minres") FAout.wls(psi, R, k) else FAout(psi, R, k), f0 = f0)
}

# psych::fa's steps after the extraction
post <- function(L, rotate) {
    k <- ncol(L)
    if (k > 1) { s <- sign(colSums(L)); s[s == 0] <- 1; L <- L %*% diag(s) } else if (sum(L) < 0) L <- -L
    L[L == 0] <- 1e-15
    h2 <- rowSums(L^2)
    Phi <- NULL
    if (rotate != "none" && k > 1) {
        if (rotate == "varimax") L <- unclass(stats::varimax(L)$loadings)
        else { ob <- GPArotation::oblimin(L); L <- unclass(ob$loadings); Phi <- ob$Phi }
    }
    s <- sign(colSums(L)); s[s == 0] <- 1
    L <- L %*% diag(s, k)
    if (!is.null(Phi)) Phi <- diag(s) %*% Phi %*% diag(s)
    if (k > 1) {
        ev <- if (is.null(Phi)) diag(t(L) %*% L) else diag(Phi %*% t(L) %*% L)
        o <- order(ev, decreasing = TRUE)
        L <- L[, o, drop = FALSE]
        if (!is.null(Phi)) Phi <- Phi[o, o]
    }
    list(L = L, Phi = if (is.null(Phi)) diag(k) else Phi, h2 = h2)
}

polychoric_matrix <- function(x) {
    p <- ncol(x); R <- diag(p)
    for (a in 2:p) for (b in 1:(a - 1)) R[a, b] <- R[b, a] <- polychor(x[, a], x[, b], ML = FALSE)
    R
}

out <- NULL
emit <- function(cfg, model, factor, factor_b, item, statistic, value)
    out <<- rbind(out, data.frame(config = cfg, model = model, factor = factor, factor_b = factor_b, item = item,
                                  statistic = statistic, value = sprintf("%.17g", value)))
dimcodes <- c("EXT", "AGR", "CONS", "EMO", "OPEN")

run <- function(cfg, fm, rotate, cor, models, k = 5) {
    cat(cfg, "\n")
    fits <- list()
    for (m in models) {
        x <- data[[m]]
        bank <- if (is.null(banks[[m]])) bank else banks[[m]]
        label <- if (is.null(labels[[m]])) m else labels[[m]]
        R <- if (cor == "pearson") cor(x, use = "pairwise") else polychoric_matrix(x)
        P <- polished(R, k, fm, nrow(x))
        # psych's own steps on its own loadings: equal to psych::fa's rotated output
        mine <- post(unclass(P$f0$loadings), rotate)
        ref <- fa(R, k, n.obs = nrow(x), fm = fm, rotate = rotate, warnings = FALSE)
        stopifnot(max(abs(mine$L - unclass(ref$loadings))) < 1e-10)
        r <- post(P$L, rotate)
        cat(sprintf("  %s: max |psych::fa loading - polished| %.2e\n", m, max(abs(r$L - unclass(ref$loadings)))))
        fits[[m]] <- r
        L <- r$L; fn <- paste0("F", 1:k)
        for (i in 1:nrow(L)) {
            for (j in 1:k) emit(cfg, label, fn[j], "", bank$item[i], "loading", L[i, j])
            emit(cfg, label, "", "", bank$item[i], "communality", r$h2[i])
            emit(cfg, label, "", "", bank$item[i], "uniqueness", 1 - r$h2[i])
        }
        ss <- diag(r$Phi %*% t(L) %*% L)
        for (j in 1:k) {
            emit(cfg, label, fn[j], "", "", "ss_loadings", ss[j])
            emit(cfg, label, fn[j], "", "", "proportion_var", ss[j] / nrow(L))
            emit(cfg, label, fn[j], "", "", "cumulative_var", sum(ss[1:j]) / nrow(L))
        }
        if (rotate == "oblimin" && k > 1)
            for (a in 1:(k - 1)) for (b in (a + 1):k) emit(cfg, label, fn[a], fn[b], "", "phi", r$Phi[a, b])
        for (d in dimcodes) {
            key <- ifelse(bank$dimension == d, ifelse(bank$key == "+", 1, -1), 0)
            cg <- factor.congruence(L, matrix(key, ncol = 1), digits = 17)
            for (j in 1:k) emit(cfg, label, fn[j], d, "", "congruence_key", cg[j, 1])
        }
        if (m != "human" && !is.null(fits$human)) {
            cg <- factor.congruence(L, fits$human$L, digits = 17)
            for (j in 1:k) for (h in 1:k) emit(cfg, label, fn[j], paste0("human F", h), "", "congruence_human", cg[j, h])
        }
    }
}

run("minres/oblimin/pearson", "minres", "oblimin", "pearson", c("human", "good", "merged", "method"))
run("minres/varimax/pearson", "minres", "varimax", "pearson", c("human", "good"))
run("ml/oblimin/pearson", "ml", "oblimin", "pearson", c("human", "method"))
run("ml/varimax/pearson", "ml", "varimax", "pearson", c("merged"))
run("minres/none/pearson", "minres", "none", "pearson", c("merged"))
run("minres/oblimin/pearson/6", "minres", "oblimin", "pearson", c("method"), k = 6)
run("minres/oblimin/pearson/1", "minres", "oblimin", "pearson", c("good"), k = 1)
run("ml/oblimin/pearson/2", "ml", "oblimin", "pearson", c("merged"), k = 2)
run("personallm/runs/minres/oblimin/pearson", "minres", "oblimin", "pearson", "pl_runs")
run("personallm/subjects/minres/oblimin/pearson", "minres", "oblimin", "pearson", "pl_subjects")
run("personallm/runs/ml/varimax/pearson", "ml", "varimax", "pearson", "pl_runs")
run("minres/oblimin/polychoric", "minres", "oblimin", "polychoric", c("good"))
write.csv(out, "tests/oracle/structure_efa_expected.csv", row.names = FALSE, quote = FALSE)
cat(nrow(out), "rows\n")
