// The demo job: fits y = 3x - 2 + noise with a linear model and plain gradient descent on autograd,
// printing the loss as it falls.
#include <cstdio>

#include <ember/ember.h>

int main() {
  using namespace ember;
  const int n = 256;
  std::vector<double> xs(n), ys(n);
  for (int i = 0; i < n; ++i) {
    xs[size_t(i)] = -1.0 + 2.0 * i / (n - 1);
    ys[size_t(i)] = 3.0 * xs[size_t(i)] - 2.0 + 0.1 * ((i * 7919) % 17 - 8) / 8.0;
  }
  Tensor x = tensor(xs).to(kFloat32), y = tensor(ys).to(kFloat32);
  Tensor w = zeros({1}, requires_grad()), b = zeros({1}, requires_grad());
  const double lr = 0.5;
  for (int step = 0; step <= 100; ++step) {
    Tensor err = x * w + b - y;
    Tensor loss = (err * err).sum() / double(n);
    loss.backward();
    if (step % 10 == 0) std::printf("step %3d  loss %.6f\n", step, loss.item<double>());
    {
      NoGradGuard g;
      w.sub_(w.grad() * lr);
      b.sub_(b.grad() * lr);
    }
    w.mutable_grad().zero_();
    b.mutable_grad().zero_();
  }
  std::printf("w = %.4f (true 3), b = %.4f (true -2)\n", w.item<double>(), b.item<double>());
  return 0;
}
