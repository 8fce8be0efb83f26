#include <cstdio>

#include <ember/ember.h>

int main() {
  ember::Tensor x = ember::ones({2, 2}, ember::TensorOptions().dtype(ember::kFloat64).requires_grad(true));
  ember::Tensor y = (x * x).sum();
  y.backward();
  double g = x.grad().sum().item<double>();  // d/dx sum(x^2) = 2x: 4 elements of 2
  if (g != 8.0) {
    std::printf("install check: expected 8, got %g\n", g);
    return 1;
  }
  std::printf("install check: ok\n");
  return 0;
}
