// nn::Module against PyTorch: names and order of parameters, buffers, modules and state_dict keys for a
// nested model; weights loaded from PyTorch's state_dict give PyTorch's outputs and gradients;
// load_state_dict's errors; weight tying; hooks; modes; conversion; printouts; containers and layers.
#include <cmath>
#include <map>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "nn_test_util.h"

using namespace ember;
using namespace ember::nn;
using nntest::keys_of;
using nntest::list;
using nntest::text;

namespace {

golden::File& G() {
  static golden::File g("nn");
  return g;
}

struct Block : Module {
  Block(int64_t in, int64_t out)
      : fc(register_module("fc", std::make_shared<Linear>(in, out))),
        act(register_module("act", std::make_shared<ReLU>())),
        running(register_buffer("running", randn({out}))),
        scratch(register_buffer("scratch", zeros({2}), /*persistent=*/false)),
        scale(register_parameter("scale", randn({out}))) {}
  Tensor forward(const Tensor& x) override { return (*act)((*fc)(x)) * scale + running; }
  std::shared_ptr<Linear> fc;
  std::shared_ptr<ReLU> act;
  Tensor& running;
  Tensor& scratch;
  Tensor& scale;
};

struct Net : Module {
  Net() {
    embed = register_module("embed", std::make_shared<Linear>(5, 4, false));
    blocks = register_module("blocks", std::make_shared<ModuleList>(std::make_shared<Block>(4, 3),
                                                                    std::make_shared<Block>(3, 3)));
    head = register_module("head", std::make_shared<Sequential>(std::make_shared<Linear>(3, 6), std::make_shared<Tanh>(),
                                                                std::make_shared<Dropout>(0.25),
                                                                std::make_shared<Flatten>(), std::make_shared<Linear>(6, 6)));
    extra = register_module("extra", std::make_shared<ParameterList>());
    extra->append(randn({2, 2})).append(randn({3}));
    table = register_module("table", std::make_shared<ModuleDict>());
    table->insert("b", std::make_shared<Identity>()).insert("a", std::make_shared<Sigmoid>());
    pd = register_module("pd", std::make_shared<ParameterDict>());
    pd->insert("w", randn({2}));
    bil = register_module("bil", std::make_shared<Bilinear>(3, 3, 4));
    unf = register_module("unf", std::make_shared<Unflatten>(1, std::vector<int64_t>{2, 3}));
  }
  Tensor forward(const Tensor& x) override {
    Tensor h = (*embed)(x);
    for (const auto& b : *blocks) h = (*b)(h);
    h = (*head)(h);
    Tensor u = (*unf)(h);
    Tensor y = (*bil)(u.select(1, 0), u.select(1, 1));
    y = (*(*table)["a"])(y) + (*(*table)["b"])(y) * (*pd)["w"].sum();
    return y + (*extra)[0].sum() + (*extra)[1].sum();
  }
  std::shared_ptr<Linear> embed;
  std::shared_ptr<ModuleList> blocks;
  std::shared_ptr<Sequential> head;
  std::shared_ptr<ParameterList> extra;
  std::shared_ptr<ModuleDict> table;
  std::shared_ptr<ParameterDict> pd;
  std::shared_ptr<Bilinear> bil;
  std::shared_ptr<Unflatten> unf;
};

// The golden state dict saved under `prefix`, in PyTorch's key order.
StateDict golden_state(const std::string& prefix, const std::vector<std::string>& keys) {
  StateDict sd;
  for (const std::string& k : keys) sd.insert(k, G()[prefix + k]);
  return sd;
}

struct Tied : Module {
  Tied() {
    enc = register_module("enc", std::make_shared<Linear>(4, 4, false));
    dec = register_module("dec", std::make_shared<Linear>(4, 4));
    dec->weight = enc->weight;  // ties: assignment through the bound slot re-registers
    auto shared = std::make_shared<Linear>(4, 2);
    a = register_module("a", shared);
    b = register_module("b", shared);
  }
  Tensor forward(const Tensor& x) override {
    Tensor h = tanh((*enc)(x));
    return (*b)(a->weight.sum() * (*dec)(h));
  }
  std::shared_ptr<Linear> enc, dec, a, b;
};

}  // namespace

// ---- names and order ----

TEST(NnModule, NamesAndOrderMatchTorch) {
  auto net = std::make_shared<Net>();
  EXPECT_EQ(keys_of(net->named_parameters()), list("net_named_parameters"));
  EXPECT_EQ(keys_of(net->named_buffers()), list("net_named_buffers"));
  EXPECT_EQ(keys_of(net->named_modules()), list("net_named_modules"));
  EXPECT_EQ(keys_of(net->named_children()), list("net_named_children"));
  EXPECT_EQ(keys_of(net->state_dict()), list("net_state_dict"));
  EXPECT_EQ(keys_of(net->blocks->state_dict()), list("net_blocks_state_dict"));
  EXPECT_EQ(keys_of(net->named_parameters("", false)), list("net_named_parameters_norecurse"));
  EXPECT_EQ(net->parameters().size(), list("net_named_parameters").size());
  EXPECT_EQ(net->modules().size(), list("net_named_modules").size());
  EXPECT_TRUE(net->modules()[0].get() == net.get());
  // Prefixes as torch's named_parameters(prefix=...).
  EXPECT_EQ(net->blocks->named_parameters("blocks").begin()->first, "blocks.0.scale");
  // The state dict holds detached aliases of the parameters: same memory, no autograd.
  StateDict sd = net->state_dict();
  EXPECT_FALSE(sd["embed.weight"].requires_grad());
  EXPECT_EQ(sd["embed.weight"].data_ptr(), net->embed->weight.data_ptr());
  EXPECT_TRUE(net->state_dict("", true)["embed.weight"].is_same(net->embed->weight));
}

TEST(NnModule, PrintoutMatchesTorch) {
  auto net = std::make_shared<Net>();
  EXPECT_EQ(net->repr(), text("net_repr"));
  std::ostringstream os;
  os << net;  // the module, not the pointer
  EXPECT_EQ(os.str(), text("net_repr"));
  EXPECT_EQ(Linear(3, 2, false).repr(), text("repr_linear_nobias"));
  Sequential misc{std::make_shared<ReLU>(true),
                  std::make_shared<Dropout>(0.1),
                  std::make_shared<Dropout>(1e-5, true),
                  std::make_shared<Identity>(),
                  std::make_shared<Unflatten>(0, std::vector<int64_t>{5}),
                  std::make_shared<Flatten>(0, 2),
                  std::make_shared<Bilinear>(2, 3, 4, false),
                  std::make_shared<Sequential>(),
                  std::make_shared<ModuleList>()};
  EXPECT_EQ(misc.repr(), text("repr_misc"));
  auto pl = std::make_shared<ParameterList>();
  pl->append(zeros({2, 3})).append(zeros({4}, kFloat64));
  auto pd = std::make_shared<ParameterDict>();
  pd->insert("x", zeros({1, 2, 3}));
  ModuleDict params{{"pl", pl}, {"pd", pd}};
  EXPECT_EQ(params.repr(), text("repr_params"));
}

TEST(NnModule, PyRepr) {
  EXPECT_EQ(py_repr(0.5), "0.5");
  EXPECT_EQ(py_repr(1e-5), "1e-05");
  EXPECT_EQ(py_repr(1.0), "1.0");
  EXPECT_EQ(py_repr(0.1), "0.1");
  EXPECT_EQ(py_repr(1e16), "1e+16");
  EXPECT_EQ(py_repr(123456.75), "123456.75");
  EXPECT_EQ(py_repr(0.0001), "0.0001");
  EXPECT_EQ(py_repr(1.0 / 3), "0.3333333333333333");
}

// ---- state dicts ----

TEST(NnModule, LoadTorchStateDictGivesTorchOutputsAndGradients) {
  auto net = std::make_shared<Net>();
  IncompatibleKeys r = net->load_state_dict(golden_state("net_sd/", list("net_state_dict")));
  EXPECT_TRUE(r.missing_keys.empty());
  EXPECT_TRUE(r.unexpected_keys.empty());
  for (const auto& [k, v] : net->state_dict()) EXPECT_TRUE(golden::close(v, G()["net_sd/" + k], 0, 0)) << k;
  net->eval();
  Tensor y = (*net)(G()["net_x"]);
  EXPECT_TRUE(golden::close(y, G()["net_y"], 1e-5, 1e-6));
  (y * G()["net_g"]).sum().backward();
  for (const auto& [k, p] : net->named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << k;
    EXPECT_TRUE(golden::close(p.grad(), G()["net_grad/" + k], 1e-4, 1e-5)) << k;
  }
}

TEST(NnModule, LoadStateDictErrorsAsTorch) {
  auto net = std::make_shared<Net>();
  StateDict sd = net->state_dict();
  StateDict bad;
  for (const auto& [k, v] : sd)
    if (k != "blocks.1.fc.bias" && k != "embed.weight") bad.insert(k, v);
  bad.insert("blocks.0.foo", zeros({1}));
  bad.insert("zzz", zeros({1}));
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { net->load_state_dict(bad); }, text("load_strict_error")));
  IncompatibleKeys r = net->load_state_dict(bad, false);
  EXPECT_EQ(r.missing_keys, list("load_nonstrict_missing"));
  EXPECT_EQ(r.unexpected_keys, list("load_nonstrict_unexpected"));

  StateDict shape_bad = net->state_dict();
  shape_bad["head.0.weight"] = zeros({6, 4});
  shape_bad["blocks.0.running"] = zeros({4});
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { net->load_state_dict(shape_bad, false); }, text("load_shape_error")));

  // Values are copied into the existing tensors (so references to them, e.g. an optimizer's, stay valid),
  // converting the dtype.
  Tensor w = net->embed->weight;
  StateDict one = net->state_dict();
  one["embed.weight"] = ones({4, 5}, kFloat64);
  net->load_state_dict(one);
  EXPECT_TRUE(net->embed->weight.is_same(w));
  EXPECT_EQ(w.dtype(), kFloat32);
  EXPECT_EQ(w.sum().item<double>(), 20.0);
  EXPECT_TRUE(w.requires_grad());
}

TEST(NnModule, NonPersistentBuffersAndNone) {
  Block b(2, 3);
  EXPECT_EQ(keys_of(b.named_buffers()), (std::vector<std::string>{"running", "scratch"}));
  EXPECT_EQ(b.state_dict().size(), 4u);
  EXPECT_FALSE(b.state_dict().contains("scratch"));
  // An undefined parameter (None) is skipped everywhere, and re-registering a buffer as persistent shows it.
  b.register_parameter("maybe", Tensor());
  EXPECT_EQ(b.parameters().size(), 3u);
  b.register_buffer("scratch", zeros({2}), true);
  EXPECT_TRUE(b.state_dict().contains("scratch"));
  EXPECT_TRUE(b.scratch.defined());
}

// ---- weight tying ----

TEST(NnModule, WeightTyingAsTorch) {
  auto tied = std::make_shared<Tied>();
  EXPECT_EQ(keys_of(tied->named_parameters()), list("tied_named_parameters"));
  EXPECT_EQ(keys_of(tied->named_modules()), list("tied_named_modules"));
  EXPECT_EQ(keys_of(tied->state_dict()), list("tied_state_dict"));
  EXPECT_TRUE(tied->dec->find_parameter("weight")->is_same(tied->enc->weight));
  EXPECT_EQ(tied->parameters().size(), 4u);
  EXPECT_EQ(tied->named_parameters("", true, false).size(), 7u);  // remove_duplicate=false

  tied->load_state_dict(golden_state("tied_sd/", list("tied_state_dict")));
  Tensor y = (*tied)(G()["tied_x"]);
  EXPECT_TRUE(golden::close(y, G()["tied_y"], 1e-5, 1e-6));
  (y * G()["tied_g"]).sum().backward();
  // The tied weight gets the sum of both uses' gradients, the shared module's weight both calls'.
  EXPECT_TRUE(golden::close(tied->enc->weight.grad(), G()["tied_grad_enc_weight"], 1e-4, 1e-5));
  EXPECT_TRUE(tied->dec->weight.grad().is_same(tied->enc->weight.grad()));
  EXPECT_TRUE(golden::close(tied->dec->bias.grad(), G()["tied_grad_dec_bias"], 1e-4, 1e-5));
  EXPECT_TRUE(golden::close(tied->a->weight.grad(), G()["tied_grad_a_weight"], 1e-4, 1e-5));
  // Conversion keeps the tie.
  tied->to(kFloat64);
  EXPECT_TRUE(tied->dec->weight.is_same(tied->enc->weight));
  EXPECT_EQ(tied->enc->weight.dtype(), kFloat64);
}

// ---- registration ----

TEST(NnModule, RegistrationErrors) {
  Module m;
  EXPECT_TRUE(nntest::throws_with<IndexError>([&] { m.register_parameter("a.b", zeros({1})); },
                                              "parameter name can't contain \".\""));
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { m.register_module("a.b", std::make_shared<ReLU>()); },
                                                 "module name can't contain \".\", got: a.b"));
  EXPECT_TRUE(nntest::throws_with<IndexError>([&] { m.register_buffer("", zeros({1})); },
                                              "buffer name can't be empty string \"\""));
  m.register_parameter("w", zeros({1}));
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { m.register_buffer("w", zeros({1})); }, "attribute 'w' already exists"));
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { m.register_module("w", std::make_shared<ReLU>()); },
                                                 "attribute 'w' already exists"));
  Tensor leaf = ones({2}).requires_grad_();
  EXPECT_TRUE(nntest::throws_with<TypeError>([&] { m.register_parameter("v", leaf * 2); },
                                             "Cannot assign non-leaf Tensor to parameter 'v'"));
  // Parameters require grad (as nn.Parameter), unless registered with requires_grad=false.
  EXPECT_TRUE(m.register_parameter("p", zeros({2})).requires_grad());
  EXPECT_FALSE(m.register_parameter("q", zeros({2}), false).requires_grad());
  EXPECT_TRUE(nntest::throws_exactly<NotImplementedError>([&] { m(zeros({1})); },
                                                          "Module [Module] is missing the required \"forward\" function"));
  // Replacing a child keeps its position; replace_module needs an existing name.
  m.register_module("c1", std::make_shared<ReLU>());
  m.register_module("c2", std::make_shared<Tanh>());
  m.register_module("c1", std::make_shared<Sigmoid>());
  EXPECT_EQ(keys_of(m.named_children()), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(m.find_child("c1")->name(), "Sigmoid");
  EXPECT_TRUE(nntest::throws_with<Error>([&] { m.replace_module("zz", std::make_shared<ReLU>()); }, "zz"));
}

// ---- modes, zero_grad, conversion, apply ----

TEST(NnModule, TrainEvalPropagates) {
  auto net = std::make_shared<Net>();
  for (const auto& m : net->modules()) EXPECT_TRUE(m->is_training());
  net->eval();
  for (const auto& m : net->modules()) EXPECT_FALSE(m->is_training());
  Tensor x = randn({3, 6});
  EXPECT_TRUE((*net->head)[2]->forward(x).is_same(x));  // Dropout is the identity in eval
  net->train();
  for (const auto& m : net->modules()) EXPECT_TRUE(m->is_training());
  net->blocks->train(false);
  EXPECT_TRUE(net->is_training());
  EXPECT_FALSE(net->blocks->at<Block>(1)->fc->is_training());
}

TEST(NnModule, ZeroGrad) {
  Linear lin(3, 2);
  lin(randn({4, 3})).sum().backward();
  ASSERT_TRUE(lin.weight.grad().defined());
  lin.zero_grad(false);
  EXPECT_EQ(lin.weight.grad().abs().sum().item<double>(), 0.0);
  lin.zero_grad();
  EXPECT_FALSE(lin.weight.grad().defined());
  EXPECT_FALSE(lin.bias.grad().defined());
}

TEST(NnModule, ToKeepsIdentityAndConvertsFloatingTensors) {
  Block b(2, 3);
  b.register_buffer("steps", zeros({1}, kInt64));
  Tensor w = b.fc->weight;
  b(randn({4, 2})).sum().backward();
  b.to(kFloat64);
  EXPECT_TRUE(b.fc->weight.is_same(w));  // same tensor object, new data (param.data = ...)
  EXPECT_EQ(w.dtype(), kFloat64);
  EXPECT_EQ(w.grad().dtype(), kFloat64);
  EXPECT_TRUE(w.requires_grad() && w.is_leaf());
  EXPECT_EQ(b.running.dtype(), kFloat64);
  EXPECT_EQ(b.find_buffer("steps")->dtype(), kInt64);
  Tensor y = b(randn({4, 2}, kFloat64));
  EXPECT_EQ(y.dtype(), kFloat64);
  b.to(Device(kCPU), kFloat32);
  EXPECT_EQ(w.dtype(), kFloat32);
  EXPECT_TRUE(nntest::throws_with<TypeError>([&] { b.to(kInt32); }, "only accepts floating point"));
}

TEST(NnModule, ApplyVisitsChildrenFirst) {
  auto net = std::make_shared<Net>();
  std::vector<std::string> order;
  net->apply([&](Module& m) { order.push_back(m.name()); });
  EXPECT_EQ(order.front(), "Linear");  // embed
  EXPECT_EQ(order.back(), "Net");
  EXPECT_EQ(order.size(), list("net_named_modules").size());
  // The usual use: re-initialise every Linear.
  net->apply([](Module& m) {
    if (auto* lin = dynamic_cast<Linear*>(&m)) init::zeros_(lin->weight);
  });
  EXPECT_EQ(net->embed->weight.abs().sum().item<double>(), 0.0);
}

// ---- hooks ----

TEST(NnModule, ForwardHooksOrderReplacementAndRemoval) {
  Linear lin(3, 2);
  std::vector<std::string> calls;
  auto h1 = lin.register_forward_pre_hook([&](Module&, const tensor_list&) { calls.push_back("pre1"); });
  auto h2 = lin.register_forward_pre_hook([&](Module&, const tensor_list& in) -> std::optional<tensor_list> {
    calls.push_back("pre2");
    return tensor_list{in[0] * 0};  // replaces the input
  });
  double input_seen = -1;
  auto h3 = lin.register_forward_hook([&](Module& m, const tensor_list& in, const tensor_list& out) {
    calls.push_back("fwd1:" + m.name());
    input_seen = in[0].abs().sum().item<double>();
    EXPECT_EQ(out.size(), 1u);
  });
  auto h4 = lin.register_forward_hook(
      [&](Module&, const tensor_list&, const tensor_list& out) -> std::optional<tensor_list> {
        calls.push_back("fwd2");
        return tensor_list{out[0] + 1};
      });
  Tensor y = lin(randn({4, 3}));
  EXPECT_EQ(calls, (std::vector<std::string>{"pre1", "pre2", "fwd1:Linear", "fwd2"}));
  EXPECT_EQ(input_seen, 0.0);  // the forward hook sees the input the pre-hook gave
  EXPECT_TRUE(golden::close(y, (lin.bias + 1).expand({4, 2}).contiguous()));
  h2.remove();
  h4.remove();
  h4.remove();  // twice is fine
  calls.clear();
  Tensor x = randn({4, 3});
  EXPECT_TRUE(golden::close(lin(x), lin.forward(x)));
  EXPECT_EQ(calls, (std::vector<std::string>{"pre1", "fwd1:Linear"}));
  h1.remove();
  h3.remove();
  calls.clear();
  lin(x);
  EXPECT_TRUE(calls.empty());
  // A handle outliving its module does nothing.
  RemovableHandle dangling;
  {
    auto tmp = std::make_shared<ReLU>();
    dangling = tmp->register_forward_hook([](Module&, const tensor_list&, const tensor_list&) {});
  }
  dangling.remove();
}

TEST(NnModule, ForwardHooksCaptureActivationsByName) {
  auto net = std::make_shared<Net>();
  net->eval();
  std::map<std::string, Tensor> acts;
  std::vector<RemovableHandle> handles;
  for (const auto& [name, m] : net->named_modules())
    if (dynamic_cast<Linear*>(m.get()))
      handles.push_back(m->register_forward_hook(
          [&acts, name = name](Module&, const tensor_list&, const tensor_list& out) { acts[name] = out[0]; }));
  (*net)(randn({2, 5}));
  EXPECT_EQ(keys_of(acts), (std::vector<std::string>{"blocks.0.fc", "blocks.1.fc", "embed", "head.0", "head.4"}));
  EXPECT_EQ(acts["head.4"].sizes(), IntArrayRef({2, 6}));
  for (auto& h : handles) h.remove();
}

TEST(NnModule, FullBackwardHookMatchesTorch) {
  auto seq = std::make_shared<Sequential>(std::make_shared<Linear>(3, 4), std::make_shared<ReLU>(),
                                          std::make_shared<Linear>(4, 2));
  seq->to(kFloat64);
  seq->load_state_dict(golden_state("hook_sd/", {"0.weight", "0.bias", "2.weight", "2.bias"}));
  Tensor gi, go;
  int calls = 0;
  auto h = (*seq)[0]->register_full_backward_hook([&](Module& m, const tensor_list& grad_in, const tensor_list& grad_out) {
    EXPECT_EQ(m.name(), "Linear");
    ++calls;
    gi = grad_in.at(0);
    go = grad_out.at(0);
  });
  Tensor x = G()["hook_x"].requires_grad_();
  (*seq)(x).backward(G()["hook_g"]);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(golden::close(gi, G()["hook_gi"], 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(go, G()["hook_go"], 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(x.grad(), G()["hook_gx"], 1e-12, 1e-12));

  // A hook may replace grad_input; the wrong count is PyTorch's error.
  h.remove();
  auto h2 = (*seq)[0]->register_full_backward_hook(
      [](Module&, const tensor_list& grad_in, const tensor_list&) -> std::optional<tensor_list> {
        return tensor_list{grad_in[0] * 2};
      });
  Tensor x2 = G()["hook_x"].requires_grad_();
  (*seq)(x2).backward(G()["hook_g"]);
  EXPECT_TRUE(golden::close(x2.grad(), G()["hook_gx"] * 2, 1e-12, 1e-12));
  h2.remove();
  auto h3 = (*seq)[0]->register_full_backward_hook(
      [](Module&, const tensor_list&, const tensor_list&) -> std::optional<tensor_list> { return tensor_list{}; });
  Tensor x3 = G()["hook_x"].requires_grad_();
  EXPECT_TRUE(nntest::throws_with<Error>([&] { (*seq)(x3).backward(G()["hook_g"]); },
                                         "Backward hook returned an invalid number of grad_input, got 0, but expected 1"));
  h3.remove();

  // With no input that requires grad, the hook still runs (from the output side) with None grad_input,
  // and the parameters get their gradients as usual.
  bool ran = false;
  auto h4 = (*seq)[0]->register_full_backward_hook([&](Module&, const tensor_list& grad_in, const tensor_list& grad_out) {
    ran = true;
    EXPECT_EQ(grad_in.size(), 1u);
    EXPECT_FALSE(grad_in[0].defined());
    EXPECT_TRUE(golden::close(grad_out.at(0), G()["hook_go"], 1e-12, 1e-12));
  });
  seq->zero_grad();
  (*seq)(G()["hook_x"]).backward(G()["hook_g"]);
  EXPECT_TRUE(ran);
  EXPECT_TRUE(seq->at<Linear>(0)->weight.grad().defined());
  h4.remove();
}

TEST(NnModule, BackwardHookKeepsItsModuleAlive) {
  Tensor x = randn({2, 3}).requires_grad_();
  Tensor y;
  std::string seen;
  {
    auto lin = std::make_shared<Linear>(3, 2);
    lin->register_full_backward_hook([&](Module& m, const tensor_list&, const tensor_list&) { seen = m.name(); });
    y = (*lin)(x);
  }
  y.sum().backward();
  EXPECT_EQ(seen, "Linear");
  EXPECT_TRUE(x.grad().defined());
}

TEST(NnModule, HooksOnMultiInputModule) {
  Bilinear bil(3, 2, 4);
  int pre = 0;
  tensor_list grad_inputs;
  bil.register_forward_pre_hook([&](Module&, const tensor_list& in) { pre += int(in.size()); });
  bil.register_full_backward_hook(
      [&](Module&, const tensor_list& gi, const tensor_list&) { grad_inputs = gi; });
  Tensor a = randn({5, 3}).requires_grad_(), b = randn({5, 2});
  bil(a, b).sum().backward();
  EXPECT_EQ(pre, 2);
  ASSERT_EQ(grad_inputs.size(), 2u);
  EXPECT_TRUE(golden::close(grad_inputs[0], a.grad()));
  EXPECT_FALSE(grad_inputs[1].defined());  // b does not require grad
}

// ---- layers ----

TEST(NnModule, LinearMatchesTorch) {
  Linear lin(3, 2, true, kFloat64);
  lin.load_state_dict(StateDict{{"weight", G()["lin_weight"]}, {"bias", G()["lin_bias"]}});
  for (std::string name : {"lin2d", "lin3d"}) {
    lin.zero_grad();
    Tensor x = G()[name + "_x"].requires_grad_();
    Tensor y = lin(x);
    EXPECT_TRUE(golden::close(y, G()[name + "_y"], 1e-12, 1e-12)) << name;
    y.backward(G()[name + "_g"]);
    EXPECT_TRUE(golden::close(x.grad(), G()[name + "_gx"], 1e-12, 1e-12)) << name;
    EXPECT_TRUE(golden::close(lin.weight.grad(), G()[name + "_gw"], 1e-12, 1e-12)) << name;
    EXPECT_TRUE(golden::close(lin.bias.grad(), G()[name + "_gb"], 1e-12, 1e-12)) << name;
  }
  // 1-D input and no bias go through matmul.
  Linear nb(3, 2, false, kFloat64);
  Tensor v = randn({3}, kFloat64);
  EXPECT_TRUE(golden::close(nb(v), mv(nb.weight, v), 1e-12, 1e-12));
  EXPECT_TRUE(nntest::throws_with<Error>([&] { lin(randn({2, 4}, kFloat64)); }, "cannot be multiplied"));
  EXPECT_TRUE(autograd::gradcheck(
      [](const tensor_list& t) { return tensor_list{functional::linear(t[0], t[1], t[2])}; },
      {randn({2, 4, 3}, kFloat64).requires_grad_(), randn({2, 3}, kFloat64).requires_grad_(),
       randn({2}, kFloat64).requires_grad_()}));
}

TEST(NnModule, BilinearMatchesTorch) {
  Bilinear bil(3, 2, 4, true, kFloat64);
  bil.load_state_dict(StateDict{{"weight", G()["bil_weight"]}, {"bias", G()["bil_bias"]}});
  Tensor x1 = G()["bil_x1"].requires_grad_(), x2 = G()["bil_x2"].requires_grad_();
  Tensor y = bil(x1, x2);
  EXPECT_TRUE(golden::close(y, G()["bil_y"], 1e-12, 1e-12));
  y.backward(G()["bil_g"]);
  EXPECT_TRUE(golden::close(x1.grad(), G()["bil_gx1"], 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(x2.grad(), G()["bil_gx2"], 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(bil.weight.grad(), G()["bil_gw"], 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(bil.bias.grad(), G()["bil_gb"], 1e-12, 1e-12));
  EXPECT_TRUE(autograd::gradcheck(
      [](const tensor_list& t) { return tensor_list{functional::bilinear(t[0], t[1], t[2], t[3])}; },
      {randn({2, 2, 3}, kFloat64).requires_grad_(), randn({2, 2, 2}, kFloat64).requires_grad_(),
       randn({4, 3, 2}, kFloat64).requires_grad_(), randn({4}, kFloat64).requires_grad_()}));
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { bil(randn({5, 4}, kFloat64), randn({5, 2}, kFloat64)); },
                                            "bilinear(): input1 size does not match weight size: got 4 but expected 3"));
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { bil(randn({5, 3}, kFloat64), randn({4, 2}, kFloat64)); },
                                            "bilinear(): input batch dimensions do not match: got [5, 3] and [4, 2]"));
}

TEST(NnModule, LinearDefaultInit) {
  // kaiming_uniform_(a=sqrt(5)) gives the bound 1/sqrt(fan_in) for the weight, as for the bias.
  Linear lin(400, 300);
  const double bound = 1 / std::sqrt(400.0);
  EXPECT_LE(lin.weight.abs().max().item<double>(), bound);
  EXPECT_GT(lin.weight.abs().max().item<double>(), 0.99 * bound);
  EXPECT_NEAR(lin.weight.std().item<double>(), bound / std::sqrt(3.0), 0.01 * bound);
  EXPECT_NEAR(lin.weight.mean().item<double>(), 0.0, 0.01 * bound);
  EXPECT_LE(lin.bias.abs().max().item<double>(), bound);
  EXPECT_EQ(lin.weight.sizes(), IntArrayRef({300, 400}));
  EXPECT_EQ(Linear(2, 3, true, kFloat64).weight.dtype(), kFloat64);
}

TEST(NnModule, FlattenUnflattenDropoutActivations) {
  Tensor x = randn({2, 3, 4});
  EXPECT_EQ(Flatten()(x).sizes(), IntArrayRef({2, 12}));
  EXPECT_EQ(Flatten(0, 1)(x).sizes(), IntArrayRef({6, 4}));
  EXPECT_EQ(Unflatten(2, {2, 2})(x).sizes(), IntArrayRef({2, 3, 2, 2}));
  EXPECT_TRUE(Identity(1, "ignored")(x).is_same(x));
  EXPECT_TRUE(golden::close(ReLU()(x), relu(x)));
  EXPECT_TRUE(golden::close(Sigmoid()(x), sigmoid(x)));
  EXPECT_TRUE(golden::close(Tanh()(x), tanh(x)));
  Tensor y = x.clone();
  ReLU inplace(true);
  EXPECT_TRUE(inplace(y).is_same(y));
  EXPECT_GE(y.min().item<double>(), 0.0);

  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { Dropout(1.5); },
                                                 "dropout probability has to be between 0 and 1, but got 1.5"));
  Dropout drop(0.3);
  Tensor big = ones({200000});
  Tensor d = drop(big);
  const double zero_frac = (d == 0).to(kFloat64).mean().item<double>();
  EXPECT_NEAR(zero_frac, 0.3, 0.005);
  EXPECT_NEAR(d.max().item<double>(), 1 / 0.7, 1e-6);
  drop.eval();
  EXPECT_TRUE(golden::close(drop(big), big, 0, 0));
}

// ---- containers ----

TEST(NnModule, SequentialIndexingAndGrowth) {
  Sequential seq(std::make_shared<Linear>(2, 3), std::make_shared<ReLU>());
  EXPECT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[-1]->name(), "ReLU");
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { seq[2]; }, "index 2 is out of range"));
  EXPECT_TRUE(nntest::throws_with<TypeError>([&] { seq.at<Linear>(1); }, "ReLU"));
  seq.append(std::make_shared<Linear>(3, 1));
  seq.insert(1, std::make_shared<Tanh>());
  EXPECT_EQ(keys_of(seq.named_children()), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(seq[1]->name(), "Tanh");
  EXPECT_EQ(keys_of(seq.state_dict()), (std::vector<std::string>{"0.weight", "0.bias", "3.weight", "3.bias"}));
  Tensor x = randn({4, 2});
  Tensor expected = (*seq[3])(relu(tanh((*seq[0])(x))));
  EXPECT_TRUE(golden::close(seq(x), expected));
  Sequential named(OrderedDict<std::string, std::shared_ptr<Module>>{{"fc", std::make_shared<Linear>(2, 2)},
                                                                    {"act", std::make_shared<ReLU>()}});
  EXPECT_EQ(keys_of(named.state_dict()), (std::vector<std::string>{"fc.weight", "fc.bias"}));
  EXPECT_TRUE(Sequential()(x).is_same(x));
}

TEST(NnModule, ModuleListDictParameterContainers) {
  auto shared = std::make_shared<ReLU>();
  ModuleList ml{std::make_shared<Linear>(1, 1), shared};
  ml.append(shared);  // the same module twice: listed twice, visited once
  EXPECT_EQ(ml.size(), 3u);
  EXPECT_EQ(ml.children().size(), 2u);
  ml.insert(0, std::make_shared<Tanh>());
  ml.insert(-1, std::make_shared<Sigmoid>());
  std::vector<std::string> names;
  for (const auto& m : ml) names.push_back(m->name());
  EXPECT_EQ(names, (std::vector<std::string>{"Tanh", "Linear", "ReLU", "Sigmoid", "ReLU"}));
  EXPECT_EQ(keys_of(ml.state_dict()), (std::vector<std::string>{"1.weight", "1.bias"}));
  EXPECT_TRUE(nntest::throws_with<NotImplementedError>([&] { ml(zeros({1})); }, "ModuleList"));

  ModuleDict md{{"z", std::make_shared<ReLU>()}, {"a", std::make_shared<Tanh>()}};
  md.insert("m", std::make_shared<Sigmoid>());
  md.insert("z", std::make_shared<Identity>());  // replaces in place
  EXPECT_EQ(md.keys(), (std::vector<std::string>{"z", "a", "m"}));
  EXPECT_EQ(md["z"]->name(), "Identity");
  EXPECT_EQ(md.pop("a")->name(), "Tanh");
  EXPECT_EQ(md.keys(), (std::vector<std::string>{"z", "m"}));
  EXPECT_FALSE(md.contains("a"));
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { md["a"]; }, "'a'"));

  ParameterList pl{zeros({2})};
  pl.append(ones({3}));
  EXPECT_EQ(pl.size(), 2u);
  EXPECT_TRUE(pl[-1].requires_grad());
  EXPECT_EQ(keys_of(pl.named_parameters()), (std::vector<std::string>{"0", "1"}));
  ParameterDict pd{{"b", zeros({1})}, {"a", zeros({2})}};
  pd.insert("b", ones({3}));
  EXPECT_EQ(pd.keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(pd["b"].numel(), 3);
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { pd["zz"]; }, "'zz'"));
}

TEST(NnModule, OrderedDict) {
  StateDict d{{"b", zeros({1})}, {"a", ones({1})}};
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { d.insert("a", zeros({1})); }, "Key 'a' already defined"));
  d.insert_or_assign("b", ones({2}));
  EXPECT_EQ(d["b"].numel(), 2);
  EXPECT_EQ(d[size_t(0)].first, "b");
  d.pop("b");
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(d.at("a").item<double>(), 1.0);
  EXPECT_TRUE(nntest::throws_exactly<IndexError>([&] { d.at("b"); }, "Key 'b' is not defined"));
}
