# tests/oracle/structure_poly.R -- reference values for tests/test_structure.c: the bivariate normal CDF
# (mvtnorm::pmvnorm, which runs Genz's BVND for two dimensions) and polycor::polychor(x, y, ML = FALSE).
# R 4.2, mvtnorm 1.1-3, polycor 0.8-1.  Run: Rscript tests/oracle/structure_poly.R
suppressMessages({ library(mvtnorm); library(polycor) })
cases <- rbind(c(0, 0, 0), c(0.5, -0.3, 0.2), c(-1.2, 0.7, 0.6), c(1.5, 1.1, 0.95), c(-0.4, 2.2, -0.97),
               c(0.3, -0.8, -0.5), c(2, 2, 0.999), c(-2.5, -1, 0.8))
for (i in 1:nrow(cases)) {
    h <- cases[i, 1]; k <- cases[i, 2]; r <- cases[i, 3]
    v <- pmvnorm(upper = c(h, k), corr = matrix(c(1, r, r, 1), 2))
    cat(sprintf("    { %g, %g, %g, %.17g },\n", h, k, r, v))
}
set.seed(7)
z1 <- rnorm(200); z2 <- 0.6 * z1 + 0.8 * rnorm(200)
x <- cut(z1, c(-Inf, -1, -0.2, 0.5, 1.3, Inf), labels = FALSE)
y <- cut(z2, c(-Inf, -0.8, 0, 0.9, Inf), labels = FALSE)
x[c(3, 50)] <- NA; y[c(7)] <- NA
cat("x:", paste(ifelse(is.na(x), "NAN", x), collapse = ", "), "\n")
cat("y:", paste(ifelse(is.na(y), "NAN", y), collapse = ", "), "\n")
cat(sprintf("rho %.17g\n", polychor(x, y, ML = FALSE)))
y2 <- -y + 5   # a negative one
cat(sprintf("rho2 %.17g\n", polychor(x, y2, ML = FALSE)))
