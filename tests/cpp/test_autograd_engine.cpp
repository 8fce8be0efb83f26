// The backward engine and its entry points: backward/grad options, leaves, grad modes, freed graphs,
// version checks, hooks and anomaly mode. Expected values are derived by hand in the comments.
#include <cmath>
#include <thread>

#include "test_autograd_helpers.h"

using namespace ember;
using agtest::leaf;
using agtest::near;
using agtest::throws_with;

// ---- backward / grad ----

TEST(AutogradBackward, MultiOutputGrad) {
  Tensor x = leaf({0.5, -1.0, 2.0});
  Tensor y1 = (x * x).sum();  // d/dx = 2x
  Tensor y2 = x.sin().sum();  // d/dx = cos x
  tensor_list g = autograd::grad({y1, y2}, {x});
  EXPECT_TRUE(near(g[0], {1 + std::cos(0.5), -2 + std::cos(-1.0), 4 + std::cos(2.0)}));
  EXPECT_FALSE(x.grad().defined());  // grad() does not accumulate into leaves
}

TEST(AutogradBackward, BackwardOnSeveralRootsWithGradients) {
  Tensor x = leaf({1.0, 2.0});
  Tensor a = x * 3, b = x * x;
  autograd::backward({a, b}, {tensor({1.0, 10.0}), tensor({2.0, 0.5})});
  // 3 * [1, 10] + 2x * [2, 0.5]
  EXPECT_TRUE(near(x.grad(), {3 + 4, 30 + 2}));
}

TEST(AutogradBackward, SharedSubexpressionAccumulatesInEngine) {
  Tensor x = leaf({0.5, 2.0});
  Tensor y = x * x;
  Tensor z = (y + y * y).sum();  // x^2 + x^4 -> 2x + 4x^3
  z.backward();
  EXPECT_TRUE(near(x.grad(), {1 + 0.5, 4 + 32}));
}

TEST(AutogradBackward, DiamondGraph) {
  Tensor x = leaf({0.3, -0.7});
  Tensor a = x.exp();
  Tensor z = (a.sin() * a.cos()).sum();  // sin(2a)/2 -> cos(2a) * a
  z.backward();
  std::vector<double> want;
  for (double v : {0.3, -0.7}) want.push_back(std::cos(2 * std::exp(v)) * std::exp(v));
  EXPECT_TRUE(near(x.grad(), want));
}

TEST(AutogradBackward, AccumulatesIntoLeavesAcrossCalls) {
  Tensor x = leaf({1.0, 2.0, 3.0});
  (x * 3).sum().backward();
  (x * x).sum().backward();
  EXPECT_TRUE(near(x.grad(), {3 + 2, 3 + 4, 3 + 6}));
  Tensor y = (x * 2).sum();
  y.backward({}, true);
  y.backward();
  EXPECT_TRUE(near(x.grad(), {5 + 4, 7 + 4, 9 + 4}));
  x.mutable_grad() = Tensor();
  (x * 2).sum().backward();
  EXPECT_TRUE(near(x.grad(), {2, 2, 2}));
}

TEST(AutogradBackward, GradOutputsWeightTheVectorJacobianProduct) {
  Tensor x = leaf({1.0, -2.0});
  Tensor y = x * x * x;
  tensor_list g = autograd::grad({y}, {x}, {tensor({2.0, 0.5})});
  EXPECT_TRUE(near(g[0], {3 * 1 * 2, 3 * 4 * 0.5}));
}

TEST(AutogradBackward, InputsRestrictAccumulation) {
  Tensor x = leaf({1.0, 2.0}), w = leaf({3.0, -1.0});
  Tensor y = (x * w).sum();
  y.backward({}, std::nullopt, false, {x});
  EXPECT_TRUE(near(x.grad(), {3, -1}));
  EXPECT_FALSE(w.grad().defined());
  // A non-leaf named in inputs gets its .grad; the leaves behind it get nothing.
  Tensor h = x * 2;
  Tensor z = (h * h).sum();  // dz/dh = 2h = 4x
  z.backward({}, std::nullopt, false, {h});
  EXPECT_TRUE(near(h.grad(), {4, 8}));
  EXPECT_TRUE(near(x.grad(), {3, -1}));
}

TEST(AutogradBackward, AllowUnused) {
  Tensor x = leaf({1.0}), u = leaf({2.0});
  Tensor y = (x * 5).sum();
  tensor_list g = autograd::grad({y}, {x, u}, {}, true, false, true);
  EXPECT_TRUE(near(g[0], {5}));
  EXPECT_FALSE(g[1].defined());
  EXPECT_TRUE(throws_with<Error>([&] { autograd::grad({y}, {x, u}); },
                                 "One of the differentiated Tensors appears to not have been used in the graph. "
                                 "Set allow_unused=True if this is the desired behavior."));
}

TEST(AutogradBackward, GradOnlyRunsThePartOfTheGraphItNeeds) {
  Tensor x = leaf({1.0}), w = leaf({2.0});
  Tensor a = x * 3;
  bool other_branch_ran = false;
  Tensor b = w.exp();
  b.register_hook([&](const Tensor&) { other_branch_ran = true; });
  Tensor y = (a + b).sum();
  tensor_list g = autograd::grad({y}, {x});
  EXPECT_TRUE(near(g[0], {3}));
  EXPECT_FALSE(other_branch_ran);
}

TEST(AutogradBackward, CreateGraphGivesDifferentiableGradients) {
  Tensor x = leaf({2.0, -1.0});
  Tensor y = (x * x * x).sum();
  Tensor g = autograd::grad({y}, {x}, {}, std::nullopt, true)[0];  // 3x^2
  EXPECT_TRUE(near(g, {12, 3}));
  ASSERT_TRUE(g.requires_grad());
  Tensor gg = autograd::grad({g.sum()}, {x})[0];  // 6x
  EXPECT_TRUE(near(gg, {12, -6}));
  // backward(create_graph) leaves a .grad with history.
  Tensor z = leaf({3.0});
  (z * z).sum().backward({}, std::nullopt, true);
  ASSERT_TRUE(z.grad().requires_grad());
  Tensor zgg = autograd::grad({z.grad().sum()}, {z})[0];
  EXPECT_TRUE(near(zgg, {2}));
  // As in PyTorch, a .grad with history refers back to its leaf (a reference cycle): clear it.
  z.mutable_grad() = Tensor();
}

TEST(AutogradBackward, Errors) {
  Tensor plain = ember::ones({2});
  EXPECT_TRUE(throws_with<Error>([&] { plain.sum().backward(); },
                                 "element 0 of tensors does not require grad and does not have a grad_fn"));
  Tensor x = leaf({1.0, 2.0});
  EXPECT_TRUE(throws_with<Error>([&] { autograd::backward({(x * 2).sum(), plain.sum()}); },
                                 "element 1 of tensors does not require grad and does not have a grad_fn"));
  EXPECT_TRUE(throws_with<Error>([&] { (x * 2).backward(); }, "grad can be implicitly created only for scalar outputs"));
  EXPECT_TRUE(throws_with<Error>([&] { autograd::grad({x * 2}, {x}, {ember::ones({3}, kFloat64)}); },
                                 "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2]."));
  EXPECT_TRUE(throws_with<Error>([&] { autograd::grad({(x * 2).sum()}, {plain}); },
                                 "One of the differentiated Tensors does not require grad"));
}

// ---- leaves ----

TEST(AutogradLeaf, RequiresGradOnlyForFloatingPoint) {
  Tensor i = ember::zeros({3}, kInt64);
  EXPECT_TRUE(throws_with<Error>([&] { i.requires_grad_(); },
                                 "only Tensors of floating point and complex dtype can require gradients"));
  EXPECT_FALSE(i.requires_grad());
  i.requires_grad_(false);
  for (DType dt : {kFloat16, kBFloat16, kFloat32, kFloat64}) EXPECT_TRUE(ember::zeros({2}, dt).requires_grad_().requires_grad());
}

TEST(AutogradLeaf, LeafFlagsAndNodeNames) {
  Tensor x = leaf({1.0, 2.0}), y = leaf({3.0, 4.0});
  EXPECT_TRUE(x.is_leaf());
  EXPECT_EQ(x.grad_fn(), nullptr);
  EXPECT_EQ((x * y).grad_fn()->name(), "MulBackward0");
  EXPECT_EQ((x + y).grad_fn()->name(), "AddBackward0");
  EXPECT_EQ((x - y).grad_fn()->name(), "SubBackward0");
  EXPECT_EQ((x / y).grad_fn()->name(), "DivBackward0");
  EXPECT_EQ(x.exp().grad_fn()->name(), "ExpBackward0");
  EXPECT_EQ(x.sum().grad_fn()->name(), "SumBackward0");
  EXPECT_EQ(x.sum(0).grad_fn()->name(), "SumBackward1");
  EXPECT_FALSE((x * y).is_leaf());
  EXPECT_TRUE(ember::ones({2}).is_leaf());
  Tensor z = x * 2;
  EXPECT_TRUE(throws_with<Error>([&] { z.requires_grad_(false); },
                                 "you can only change requires_grad flags of leaf variables."));
}

TEST(AutogradLeaf, RetainGradOnNonLeaf) {
  Tensor x = leaf({1.0, -2.0});
  Tensor y = x * 3;
  y.retain_grad();
  EXPECT_TRUE(y.retains_grad());
  Tensor z = (y * y).sum();  // dz/dy = 2y = 6x
  z.backward();
  EXPECT_TRUE(near(y.grad(), {6, -12}));
  EXPECT_TRUE(near(x.grad(), {18, -36}));
  EXPECT_FALSE((x * 2).grad().defined());  // non-leaves keep no grad unless asked
  x.retain_grad();  // a no-op on a leaf
  EXPECT_FALSE(x.retains_grad());
}

TEST(AutogradLeaf, DetachAndDetachInPlace) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_EQ(d.data_ptr(), y.data_ptr());  // shares storage
  d.mul_(10);
  EXPECT_TRUE(near(y, {20, 40}));
  Tensor h = x * 5;
  h.detach_();
  EXPECT_FALSE(h.requires_grad());
  EXPECT_TRUE(h.is_leaf());
  Tensor v = (x * 1).view({2, 1});
  EXPECT_TRUE(throws_with<Error>([&] { v.detach_(); }, "Can't detach views in-place. Use detach() instead."));
}

TEST(AutogradLeaf, GradAccessors) {
  Tensor x = leaf({1.0, 2.0});
  EXPECT_FALSE(x.grad().defined());
  x.mutable_grad() = ember::ones({2}, kFloat64);
  (x * 4).sum().backward();
  EXPECT_TRUE(near(x.grad(), {5, 5}));
  x.set_grad(Tensor());
  EXPECT_FALSE(x.grad().defined());
}

TEST(AutogradLeaf, InPlaceOnLeafThatRequiresGradIsRejected) {
  Tensor x = leaf({1.0, 2.0});
  EXPECT_TRUE(throws_with<Error>([&] { x.mul_(2); },
                                 "a leaf Variable that requires grad is being used in an in-place operation."));
  EXPECT_TRUE(near(x, {1, 2}));
  {
    NoGradGuard ng;
    x.mul_(2);  // allowed without grad mode, as torch.no_grad()
  }
  EXPECT_TRUE(near(x, {2, 4}));
}

// ---- grad modes ----

TEST(AutogradModes, NoGradAndNestedGuards) {
  Tensor x = leaf({1.0});
  {
    NoGradGuard ng;
    EXPECT_FALSE(GradMode::is_enabled());
    Tensor y = x * 2;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
    {
      EnableGradGuard eg;
      EXPECT_TRUE((x * 2).requires_grad());
    }
    {
      AutoGradMode on(true);
      EXPECT_TRUE((x * 2).requires_grad());
    }
    EXPECT_FALSE((x * 2).requires_grad());
  }
  EXPECT_TRUE(GradMode::is_enabled());
  {
    AutoGradMode off(false);
    EXPECT_FALSE((x * 2).requires_grad());
  }
  EXPECT_TRUE((x * 2).requires_grad());
}

TEST(AutogradModes, InferenceModeRecordsNothing) {
  Tensor x = leaf({1.0, 2.0});
  {
    InferenceMode im;
    EXPECT_TRUE(InferenceMode::is_enabled());
    EXPECT_FALSE(GradMode::is_enabled());
    Tensor y = (x * x).exp();
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
    {
      InferenceMode off(false);
      EXPECT_FALSE(InferenceMode::is_enabled());
    }
    EXPECT_TRUE(InferenceMode::is_enabled());
  }
  EXPECT_FALSE(InferenceMode::is_enabled());
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(AutogradModes, GradModeIsThreadLocal) {
  Tensor x = leaf({1.0});
  NoGradGuard ng;
  bool other_thread_records = false, other_thread_disabled = false;
  std::thread t([&] {
    other_thread_records = (x * 2).requires_grad();
    NoGradGuard inner;
    other_thread_disabled = !GradMode::is_enabled();
  });
  t.join();
  EXPECT_TRUE(other_thread_records);
  EXPECT_TRUE(other_thread_disabled);
  EXPECT_FALSE(GradMode::is_enabled());
  EXPECT_FALSE((x * 2).requires_grad());
}

TEST(AutogradModes, ConcurrentBackwardOnSeparateGraphs) {
  auto work = [](double v, double* out) {
    Tensor x = leaf({v});
    for (int i = 0; i < 200; ++i) (x * x * x).sum().backward();
    *out = agtest::values(x.grad())[0];
  };
  double a = 0, b = 0;
  std::thread t1(work, 1.0, &a), t2(work, 2.0, &b);
  t1.join();
  t2.join();
  EXPECT_DOUBLE_EQ(a, 200 * 3.0);
  EXPECT_DOUBLE_EQ(b, 200 * 12.0);
}

// ---- freed graphs and version counters ----

TEST(AutogradFreedGraph, SavedTensorsReleasedUnlessRetained) {
  Tensor a = leaf({1.0, 2.0}), b = leaf({3.0, 4.0});
  long before = a.use_count();
  Tensor y = (a * b).sum();  // MulBackward0 saves a (for b's gradient)
  long recorded = a.use_count();
  EXPECT_GT(recorded, before);
  y.backward({}, true);
  EXPECT_EQ(a.use_count(), recorded);  // retained
  y.backward();
  EXPECT_LT(a.use_count(), recorded);  // released
  EXPECT_TRUE(throws_with<Error>([&] { y.backward(); },
                                 "Trying to backward through the graph a second time (or directly access saved "
                                 "tensors after they have already been freed)."));
  EXPECT_TRUE(near(a.grad(), {6, 8}));
}

// As PyTorch: a node that saved no tensors (AddBackward0, SumBackward0, ...) is not freed by a backward, so a
// second backward through it runs again and accumulates; a node with saved tensors still raises.
TEST(AutogradFreedGraph, SecondBackwardThroughNodesWithoutSavedTensors) {
  Tensor a = leaf({1.0, 2.0}), b = leaf({3.0, 4.0});
  Tensor y = (a - b).sum();
  y.backward();
  y.backward();
  EXPECT_TRUE(near(a.grad(), {2, 2}));
  EXPECT_TRUE(near(b.grad(), {-2, -2}));
  Tensor s = a + b;
  s.sum().backward();
  s.mean().backward();
  EXPECT_TRUE(near(a.grad(), {3.5, 3.5}));
  EXPECT_TRUE(near(b.grad(), {-0.5, -0.5}));
  Tensor m = (a + b) * 2;  // MulBackward0 saves the wrapped scalar: PyTorch raises here too
  m.sum().backward();
  EXPECT_TRUE(throws_with<Error>([&] { m.sum().backward(); }, "Trying to backward through the graph a second time"));
}

TEST(AutogradVersion, SavedOutputModifiedInPlace) {
  Tensor a = leaf({1.0, 2.0, 3.0}, kFloat32);
  Tensor b = a.exp();
  b.add_(1);
  EXPECT_TRUE(throws_with<Error>(
      [&] { b.sum().backward(); },
      "one of the variables needed for gradient computation has been modified by an inplace operation: "
      "[torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. "
      "Hint: enable anomaly detection"));
}

TEST(AutogradVersion, SavedInputModifiedInPlace) {
  Tensor a = leaf({1.0, 2.0, 3.0}, kFloat32);
  Tensor b = a.exp();
  Tensor c = b.sin();  // saves b as an input
  b.add_(1);           // b's grad_fn is now AddBackward0, as PyTorch reports
  EXPECT_TRUE(throws_with<Error>([&] { c.sum().backward(); },
                                 "[torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; "
                                 "expected version 0 instead."));
  Tensor w = ember::ones({2, 2}, kFloat64);
  Tensor l = leaf({1.0, 2.0, 3.0, 4.0}).view({2, 2});
  Tensor m = l * w;
  w.add_(1);
  w.add_(1);
  EXPECT_TRUE(throws_with<Error>([&] { m.sum().backward(); },
                                 "[torch.DoubleTensor [2, 2]] is at version 2; expected version 0 instead."));
}

// ---- hooks ----

TEST(AutogradHooks, LeafHookReplacesGradientAndCanBeRemoved) {
  Tensor x = leaf({1.0, 2.0});
  // Registered before any graph exists: the hook lives on the leaf, not on a node.
  auto h = x.register_hook([](const Tensor& g) { return g * 10; });
  (x * 3).sum().backward();
  EXPECT_TRUE(near(x.grad(), {30, 30}));
  h.remove();
  h.remove();  // twice is harmless
  x.mutable_grad() = Tensor();
  (x * 3).sum().backward();
  EXPECT_TRUE(near(x.grad(), {3, 3}));
}

TEST(AutogradHooks, NonLeafHookChangesWhatFlowsFurther) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * x;
  Tensor seen;
  y.register_hook([&](const Tensor& g) { seen = g.clone(); });
  auto h = y.register_hook([](const Tensor& g) { return g * 2; });
  (y * 3).sum().backward();  // dy = 3, doubled -> dx = 6 * 2x
  EXPECT_TRUE(near(seen, {3, 3}));
  EXPECT_TRUE(near(x.grad(), {12, 24}));
  h.remove();
  Tensor y2 = x * x;
  (y2 * 3).sum().backward();
  EXPECT_TRUE(near(x.grad(), {12 + 6, 24 + 12}));
}

TEST(AutogradHooks, RunInRegistrationOrder) {
  Tensor x = leaf({1.0});
  std::vector<double> order;
  Tensor y = x * 1;
  y.register_hook([&](const Tensor& g) {
    order.push_back(agtest::values(g)[0]);
    return g + 1;
  });
  y.register_hook([&](const Tensor& g) {
    order.push_back(agtest::values(g)[0]);
    return g * 10;
  });
  y.register_hook([&](const Tensor& g) { order.push_back(agtest::values(g)[0]); });
  y.sum().backward();
  EXPECT_EQ(order, (std::vector<double>{1, 2, 20}));
  EXPECT_TRUE(near(x.grad(), {20}));
}

TEST(AutogradHooks, RetainedGradIsTheHookedGradient) {
  // As PyTorch >= 2.0: retain_grad's hook runs after the tensor's other hooks.
  Tensor x = leaf({2.0});
  Tensor y = x * 1;
  y.retain_grad();
  y.register_hook([](const Tensor& g) { return g * 5; });
  y.sum().backward();
  EXPECT_TRUE(near(y.grad(), {5}));
  EXPECT_TRUE(near(x.grad(), {5}));
}

TEST(AutogradHooks, ReplacementMustKeepSizeAndType) {
  Tensor x = leaf({1.0, 2.0});
  auto h = x.register_hook([](const Tensor& g) { return g.sum(); });
  EXPECT_TRUE(throws_with<Error>([&] { (x * 2).sum().backward(); }, "hook 'hook' has changed the size of value"));
  h.remove();
  x.register_hook([](const Tensor& g) { return g.to(kFloat32); });
  EXPECT_TRUE(throws_with<Error>([&] { (x * 2).sum().backward(); },
                                 "hook 'hook' has changed the type of value (was torch.DoubleTensor got "
                                 "torch.FloatTensor)"));
}

TEST(AutogradHooks, LeafHookRunsForGrad) {
  Tensor x = leaf({1.0});
  x.register_hook([](const Tensor& g) { return g * 2; });
  EXPECT_TRUE(near(autograd::grad({(x * 3).sum()}, {x})[0], {6}));
  EXPECT_TRUE(throws_with<Error>([] { ember::ones({1}).register_hook([](const Tensor& g) { return g; }); },
                                 "cannot register a hook on a tensor that doesn't require gradient"));
}

// ---- anomaly mode ----

TEST(AutogradAnomaly, NamesTheNodeAndTheForwardOp) {
  Tensor q = leaf({0.0});
  {
    autograd::DetectAnomalyGuard guard;
    Tensor r = (q / q).sum();  // d/db = -g*a/b^2 = -0/0 = nan in output 1
    try {
      r.backward();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind("Function 'DivBackward0' returned nan values in its 1th output.", 0), 0u) << msg;
      EXPECT_NE(msg.find("ember::div("), std::string::npos) << msg;
    }
  }
  Tensor r = (q / q).sum();
  EXPECT_NO_THROW(r.backward());  // off: no check
}

TEST(AutogradAnomaly, CheckNanOffSkipsTheNanCheck) {
  Tensor q = leaf({0.0});
  {
    autograd::DetectAnomalyGuard guard(/*check_nan=*/false);
    EXPECT_TRUE(autograd::AnomalyMode::is_enabled());
    EXPECT_FALSE(autograd::AnomalyMode::should_check_nan());
    EXPECT_NO_THROW((q / q).sum().backward());
    {
      autograd::DetectAnomalyGuard inner;
      EXPECT_TRUE(autograd::AnomalyMode::should_check_nan());
    }
    EXPECT_FALSE(autograd::AnomalyMode::should_check_nan());
  }
  EXPECT_FALSE(autograd::AnomalyMode::is_enabled());
  EXPECT_TRUE(autograd::AnomalyMode::should_check_nan());
}

TEST(AutogradAnomaly, FrontEndRecordsItsOwnForwardTrace) {
  autograd::AnomalyMode::set_forward_trace_fn([] { return std::string("  File \"train.py\", line 7\n"); });
  Tensor q = leaf({0.0});
  std::string msg;
  {
    autograd::DetectAnomalyGuard guard;
    Tensor r = (q / q).sum();
    try {
      r.backward();
    } catch (const Error& e) {
      msg = e.what();
    }
  }
  autograd::AnomalyMode::set_forward_trace_fn(nullptr);
  EXPECT_NE(msg.find("The forward call that created DivBackward0 (anomaly mode):\n  File \"train.py\", line 7\n"),
            std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("ember::div("), std::string::npos) << msg;
}

TEST(AutogradAnomaly, VersionErrorHintChanges) {
  autograd::DetectAnomalyGuard guard;
  Tensor a = leaf({1.0});
  Tensor b = a.exp();
  b.add_(1);
  EXPECT_TRUE(throws_with<Error>([&] { b.sum().backward(); },
                                 "Hint: the backtrace further above can show the operation that failed to compute "
                                 "its gradient. The variable in question was changed in there or anywhere later. "
                                 "Good luck!"));
}

// ---- in-place ops on views ----

// A view of a tensor that needs no grad still knows its base: writing a grad-requiring value through it
// gives the base its history (PyTorch's CopySlices), and the gradient reaches the operand.
TEST(AutogradViewInPlace, ViewOfATensorWithoutGradGivesItsBaseHistory) {
  Tensor buf = zeros({4}, kFloat64);
  Tensor x = leaf({1.0, 2.0});
  Tensor v = buf.narrow(0, 1, 2);
  v.mul_(x);
  v.add_(x);
  ASSERT_TRUE(buf.requires_grad());
  EXPECT_EQ(buf.grad_fn()->name(), "CopySlices");
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  (buf * arange(4, TensorOptions().dtype(kFloat64))).sum().backward();  // buf = [0, x0, x1, 0]
  EXPECT_TRUE(near(x.grad(), {1, 2}));
}

// A view made before its base got history through an in-place op follows the base, as in PyTorch.
TEST(AutogradViewInPlace, ViewFollowsABaseThatGotHistoryLater) {
  Tensor base = zeros({4}, kFloat64);
  Tensor w = base.slice(0, 1, 3);
  Tensor x = leaf({1.0, 2.0});
  base.add_(cat({x, x}));
  ASSERT_TRUE(w.requires_grad());
  EXPECT_EQ(w.grad_fn()->name(), "AsStridedBackward0");
  w.sum().backward();
  EXPECT_TRUE(near(x.grad(), {1, 1}));
  EXPECT_TRUE(throws_with<Error>([&] { zeros({4}).narrow(0, 0, 2).detach_(); }, "Can't detach views in-place"));
}

// retain_grad follows the tensor to its new grad_fn after an in-place op: .grad is the gradient of its
// current value (values from torch 1.13: y.grad = 2 * y_new).
TEST(AutogradViewInPlace, RetainGradFollowsInPlaceOps) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 2;
  y.retain_grad();
  y.mul_(3);
  (y * y).sum().backward();
  EXPECT_TRUE(near(y.grad(), {12, 24}));
  EXPECT_TRUE(near(x.grad(), {72, 144}));
  Tensor b = x * 1, u = b.narrow(0, 0, 1);
  u.retain_grad();
  u.mul_(5);
  (b * b).sum().backward();  // only b's history is used: u's new node does not run, as in torch 1.13
  EXPECT_FALSE(u.grad().defined());
  b = x * 1;
  u = b.narrow(0, 0, 1);
  u.retain_grad();
  u.mul_(5);
  (u * u).sum().backward();
  EXPECT_TRUE(near(u.grad(), {10}));  // 2 * u_new
}

TEST(AutogradViewInPlace, BaseGradientFlowsThroughTheModifiedView) {
  Tensor x = leaf({1.0, 2.0, 3.0, 4.0});
  Tensor w = ember::tensor({10.0, 20.0, 30.0, 40.0}, kFloat64).view({2, 2});
  Tensor y = x.view({2, 2}) * 1;  // a non-leaf base
  Tensor v = y.t();                // a transposed view of it
  v.mul_(w);                       // y[i][j] *= w[j][i]
  EXPECT_EQ(y.grad_fn()->name(), "CopySlices");
  EXPECT_TRUE(near(y, {10, 2 * 30, 3 * 20, 4 * 40}));
  // loss = sum(y * c): dx[i][j] = c[i][j] * w[j][i]
  Tensor c = ember::tensor({1.0, 2.0, 3.0, 4.0}, kFloat64).view({2, 2});
  (y * c).sum().backward();
  EXPECT_TRUE(near(x.grad(), {10, 2 * 30, 3 * 20, 4 * 40}));
}

TEST(AutogradViewInPlace, ViewKeepsWorkingAfterTheInPlaceOp) {
  Tensor x = leaf({1.0, -2.0, 0.5});
  Tensor y = x * 2;
  Tensor v = y.unsqueeze(0);
  v.exp_();  // y = exp(2x) through the view
  // loss = sum(v) + sum(y) = 2 * sum(exp(2x)) -> 4 exp(2x)
  (v.sum() + y.sum()).backward();
  std::vector<double> want;
  for (double e : {1.0, -2.0, 0.5}) want.push_back(4 * std::exp(2 * e));
  EXPECT_TRUE(near(x.grad(), want, 1e-12));
}

TEST(AutogradViewInPlace, OtherOperandGetsItsGradientAndGradcheckAgrees) {
  auto fn = [](const tensor_list& in) {
    Tensor y = in[0] * 1.5;
    Tensor v = y.view({6}).view({3, 2});  // view of a view: one base
    v.mul_(in[1]);
    return tensor_list{y.sin(), v};
  };
  Tensor a = ember::tensor({0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, kFloat64).view({2, 3}).detach().requires_grad_();
  Tensor b = ember::tensor({1.1, -0.2, 0.7, 0.4, -0.9, 0.3}, kFloat64).view({3, 2}).detach().requires_grad_();
  EXPECT_TRUE(autograd::gradcheck(fn, {a, b}));
}

TEST(AutogradViewInPlace, OtherViewsSeeTheBasesNewHistory) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 1;
  Tensor v = y.view({2, 1});
  y.mul_(3);  // in place on the base, after the view was made
  v.sum().backward();
  EXPECT_TRUE(near(x.grad(), {3, 3}));
  Tensor z = x * 1;
  Tensor v1 = z.view({2, 1}), v2 = z.view({1, 2});
  v1.mul_(x.view({2, 1}));  // z = x^2 through one view
  (v2 * v2).sum().backward();  // sum(x^4) -> 4x^3
  EXPECT_TRUE(near(x.grad(), {3 + 4, 3 + 32}));
  EXPECT_EQ(v2.grad_fn()->name(), "AsStridedBackward0");
}

TEST(AutogradViewInPlace, Errors) {
  Tensor x = leaf({1.0, 2.0});
  Tensor v = x.view({2, 1});
  EXPECT_TRUE(throws_with<Error>([&] { v.mul_(2); },
                                 "a view of a leaf Variable that requires grad is being used in an in-place operation."));
  EXPECT_TRUE(near(x, {1, 2}));
}

TEST(AutogradViewInPlace, DoubleBackward) {
  // y = x, then y *= x through a view: y = x^2, sum(y * y) = sum(x^4) -> 4x^3 -> 12x^2
  Tensor x = leaf({1.0, -2.0});
  Tensor y = x * 1;
  y.view({2, 1}).mul_(x.view({2, 1}));
  Tensor g = autograd::grad({(y * y).sum()}, {x}, {}, std::nullopt, true)[0];
  EXPECT_TRUE(near(g, {4, -32}));
  EXPECT_TRUE(near(autograd::grad({g.sum()}, {x})[0], {12, 48}));
  auto fn = [](const tensor_list& in) {
    Tensor y = in[0].sin();  // saves its input, not its output, so the in-place op below is legal
    y.t().mul_(in[1]);
    return tensor_list{y * in[0]};
  };
  Tensor a = ember::tensor({0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, kFloat64).view({2, 3}).detach().requires_grad_();
  Tensor b = ember::tensor({1.1, -0.2, 0.7, 0.4, -0.9, 0.3}, kFloat64).view({3, 2}).detach().requires_grad_();
  EXPECT_TRUE(autograd::gradgradcheck(fn, {a, b}));
}

// ---- memory ----

TEST(AutogradMemory, TrainingLoopDoesNotLeak) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kIters = 10000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr int kIters = 10000;
#else
  constexpr int kIters = 100000;
#endif
#else
  constexpr int kIters = 100000;
#endif
  Tensor x = ember::ones({16, 16}).requires_grad_();
  auto step = [&] {
    Tensor l = (x * x).sum();
    l.backward();
    x.mutable_grad().zero_();
  };
  for (int i = 0; i < 100; ++i) step();
  size_t warm = memory_stats().allocated_bytes;
  for (int i = 0; i < kIters; ++i) step();
  EXPECT_EQ(memory_stats().allocated_bytes, warm);
  EXPECT_TRUE(near(x.grad(), std::vector<double>(256, 0.0)));
}

TEST(AutogradMemory, GraphsAndHooksAreFreedWithTheirTensors) {
  size_t before = memory_stats().allocated_bytes;
  {
    Tensor x = ember::ones({64}).requires_grad_();
    Tensor y = x.exp();
    y.retain_grad();
    y.register_hook([](const Tensor& g) { return g * 2; });
    Tensor z = (y * y).sum();
    z.backward({}, true);  // retained graph with a saved output (no node -> output -> node cycle)
    Tensor g = autograd::grad({(x.sin() * x).sum()}, {x}, {}, std::nullopt, true)[0];
  }
  EXPECT_EQ(memory_stats().allocated_bytes, before);
}
