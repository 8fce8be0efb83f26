#pragma once
// Padding modules (ConstantPad*d, ZeroPad2d, ReflectionPad*d, ReplicationPad*d, CircularPad*d):
// padding is one value for every side or (left, right[, top, bottom[, front, back]]) as F.pad takes it.
#include <ember/nn/module.h>

namespace ember::nn {

class _PadNd : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  const DimVector padding;  // 2 * nd values
  const std::string mode;
  const double value;

 protected:
  _PadNd(int64_t nd, IntArrayRef padding, std::string mode, double value = 0);
};

#define EMBER_PAD_MODULE(Name, nd, mode)                                                                   \
  class Name : public _PadNd {                                                                             \
   public:                                                                                                 \
    explicit Name(IntArrayRef padding) : _PadNd(nd, padding, mode) {}                                      \
  };
EMBER_PAD_MODULE(ZeroPad1d, 1, "zeros")
EMBER_PAD_MODULE(ZeroPad2d, 2, "zeros")
EMBER_PAD_MODULE(ZeroPad3d, 3, "zeros")
EMBER_PAD_MODULE(ReflectionPad1d, 1, "reflect")
EMBER_PAD_MODULE(ReflectionPad2d, 2, "reflect")
EMBER_PAD_MODULE(ReflectionPad3d, 3, "reflect")
EMBER_PAD_MODULE(ReplicationPad1d, 1, "replicate")
EMBER_PAD_MODULE(ReplicationPad2d, 2, "replicate")
EMBER_PAD_MODULE(ReplicationPad3d, 3, "replicate")
EMBER_PAD_MODULE(CircularPad1d, 1, "circular")
EMBER_PAD_MODULE(CircularPad2d, 2, "circular")
EMBER_PAD_MODULE(CircularPad3d, 3, "circular")
#undef EMBER_PAD_MODULE

#define EMBER_CONSTANT_PAD_MODULE(Name, nd)                                                                \
  class Name : public _PadNd {                                                                             \
   public:                                                                                                 \
    Name(IntArrayRef padding, double value) : _PadNd(nd, padding, "constant", value) {}                    \
  };
EMBER_CONSTANT_PAD_MODULE(ConstantPad1d, 1)
EMBER_CONSTANT_PAD_MODULE(ConstantPad2d, 2)
EMBER_CONSTANT_PAD_MODULE(ConstantPad3d, 3)
#undef EMBER_CONSTANT_PAD_MODULE

}  // namespace ember::nn
