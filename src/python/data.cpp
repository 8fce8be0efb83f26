// The C++ file datasets and image transforms (ember/data/datasets.h, transforms.h) behind
// ember.vision.datasets and ember.vision.transforms, and the per-batch seeding of random transforms that
// ember.utils.data.DataLoader applies as the C++ DataLoader does. The Python classes around these live in
// python/ember/vision/; only what computes is here.
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/unique_ptr.h>

#include "python/bind.h"

namespace ember::python {
namespace {

using data::Transform;

// A C++ transform as a Python callable; ember.vision.transforms hold one, and a dataset given such a
// transform runs it without the GIL.
struct PyTransform {
  Transform fn;
};

// What the dataset wrappers share: indexing with Python's rules, examples as (tensor, int) like
// torchvision's, and a batch fetch that stacks examples without Python in between.
template <class D>
nb::class_<D> bind_file_dataset(nb::module_& m, const char* name) {
  nb::class_<D> cls(m, name);
  cls
      .def("__len__", [](const D& d) { return d.size(); })
      .def("__getitem__",
           [](const D& d, int64_t index) {
             data::Example<> e;
             {
               nb::gil_scoped_release release;
               e = d.get(index);
             }
             return nb::make_tuple(wrap(e.data), e.target.item().toLong());
           })
      .def(
          "_get_batch",
          [](const D& d, const std::vector<int64_t>& indices) {
            nb::gil_scoped_release release;
            std::vector<Tensor> images, targets;
            images.reserve(indices.size());
            targets.reserve(indices.size());
            for (int64_t i : indices) {
              data::Example<> e = d.get(i);
              images.push_back(std::move(e.data));
              targets.push_back(std::move(e.target));
            }
            return std::make_pair(stack(images), stack(targets));
          },
          "indices"_a, "The examples at `indices` collated as default_collate would: (stacked images, int64 targets).")
      .def_prop_ro("classes", [](const D& d) { return d.classes(); });
  return cls;
}

Transform transform_of(const std::optional<PyTransform>& t) {
  if (!t) return nullptr;
  return t->fn;
}

}  // namespace

void bind_data(nb::module_& m) {
  nb::class_<PyTransform>(m, "_Transform")
      .def("__call__", [](const PyTransform& t, const Tensor& x) {
        nb::gil_scoped_release release;
        return t.fn(x);
      });
  m.def("_transform_to_tensor", [] { return PyTransform{data::transforms::ToTensor()}; });
  m.def("_transform_normalize", [](std::vector<double> mean, std::vector<double> std, bool inplace) {
    return PyTransform{data::transforms::Normalize(std::move(mean), std::move(std), inplace)};
  });
  m.def("_transform_random_crop",
        [](std::vector<int64_t> size, std::vector<int64_t> padding, bool pad_if_needed, double fill,
           std::string padding_mode) {
          return PyTransform{data::transforms::RandomCrop(std::move(size), std::move(padding), pad_if_needed, fill,
                                                          std::move(padding_mode))};
        });
  m.def("_transform_random_horizontal_flip", [](double p) { return PyTransform{data::transforms::RandomHorizontalFlip(p)}; });
  m.def("_transform_compose", [](const std::vector<const PyTransform*>& ts) {
    std::vector<Transform> fns;
    for (const PyTransform* t : ts) fns.push_back(t->fn);
    return PyTransform{data::transforms::Compose(std::move(fns))};
  });

  bind_file_dataset<data::MNIST>(m, "_MNIST")
      .def_prop_ro("data", &data::MNIST::data)
      .def_prop_ro("targets", &data::MNIST::targets);
  m.def("_mnist",
        [](const std::string& root, bool train, std::optional<PyTransform> transform) {
          return std::make_unique<data::MNIST>(root, train, transform_of(transform));
        },
        "root"_a, "train"_a, "transform"_a.none());
  m.def("_fashion_mnist",
        [](const std::string& root, bool train, std::optional<PyTransform> transform) -> std::unique_ptr<data::MNIST> {
          return std::make_unique<data::FashionMNIST>(root, train, transform_of(transform));
        },
        "root"_a, "train"_a, "transform"_a.none());
  m.attr("_FASHION_MNIST_ROOT") = data::FashionMNIST::kDefaultRoot;
  bind_file_dataset<data::CIFAR10>(m, "_CIFAR10")
      .def_prop_ro("data", &data::CIFAR10::data)
      .def_prop_ro("targets", &data::CIFAR10::targets);
  m.def("_cifar10",
        [](const std::string& root, bool train, std::optional<PyTransform> transform) {
          return std::make_unique<data::CIFAR10>(root, train, transform_of(transform));
        },
        "root"_a, "train"_a, "transform"_a.none());
  bind_file_dataset<data::ImageFolder>(m, "_ImageFolder")
      .def_prop_ro("class_to_idx", [](const data::ImageFolder& d) { return d.class_to_idx(); })
      .def_prop_ro("samples", [](const data::ImageFolder& d) { return d.samples(); });
  m.def("_image_folder",
        [](const std::string& root, std::optional<PyTransform> transform) {
          return std::make_unique<data::ImageFolder>(root, transform_of(transform));
        },
        "root"_a, "transform"_a.none());
  m.def("_read_png", &data::read_png, "path"_a);

  // Token blocks for language models: example i is (tokens[i*B, i*B+B), tokens[i*B+1, i*B+B+1)).
  nb::class_<data::TokenDataset>(m, "_TokenDataset")
      .def("__len__", [](const data::TokenDataset& d) { return d.size(); })
      .def("__getitem__",
           [](const data::TokenDataset& d, int64_t index) {
             data::Example<> e;
             {
               nb::gil_scoped_release release;
               e = d.get(index);
             }
             return std::make_pair(std::move(e.data), std::move(e.target));
           })
      .def(
          "_get_batch",
          [](const data::TokenDataset& d, const std::vector<int64_t>& indices) {
            nb::gil_scoped_release release;
            std::vector<Tensor> inputs, targets;
            inputs.reserve(indices.size());
            targets.reserve(indices.size());
            for (int64_t i : indices) {
              data::Example<> e = d.get(i);
              inputs.push_back(std::move(e.data));
              targets.push_back(std::move(e.target));
            }
            return std::make_pair(stack(inputs), stack(targets));
          },
          "indices"_a, "The blocks at `indices` collated as default_collate would: (stacked inputs, stacked targets).")
      .def_prop_ro("num_tokens", &data::TokenDataset::num_tokens)
      .def_prop_ro("block_size", &data::TokenDataset::block_size);
  m.def("_token_dataset",
        [](const std::string& path, int64_t block_size, int token_bytes) {
          return std::make_unique<data::TokenDataset>(path, block_size, token_bytes);
        },
        "path"_a, "block_size"_a, "token_bytes"_a);

  // Runs fn() with transform_generator() seeded from (base_seed, batch) on this thread, as the C++
  // DataLoader loads batch `batch`, so random transforms do not depend on which worker loads it.
  m.def("_with_batch_seed", [](uint64_t base_seed, int64_t batch, nb::callable fn) {
    data::detail::BatchSeedGuard guard(base_seed, batch);
    return fn();
  });
}

}  // namespace ember::python
