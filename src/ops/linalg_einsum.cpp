// einsum's equation parser: checks the equation against the operands with PyTorch's messages and gives
// each dim a label; src/autograd/derivatives/linalg_einsum.cpp turns the plan into differentiable ops.
#include <algorithm>

#include "ops/linalg.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {

constexpr int kLetters = 52;  // A-Z, a-z; labels from here on are dims covered by an ellipsis

int letter_label(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : c - 'a' + 26; }
char label_letter(int l) { return char(l < 26 ? 'A' + l : 'a' + (l - 26)); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One side of the equation's terms: letters, and where an ellipsis sits (-1: none), per term.
struct Term {
  std::vector<int> letters;
  int ellipsis_at = -1;
};

// Parses equation[begin, end) as one term; `what` names it in errors ("operand 0", "output").
Term parse_term(std::string_view eq, size_t begin, size_t end, const std::string& what, bool is_output) {
  Term t;
  for (size_t i = begin; i < end; ++i) {
    char c = eq[i];
    if (c == ' ') continue;
    if (c == '.') {
      if (t.ellipsis_at >= 0) {
        if (is_output) throw Error("einsum(): found '.' for output but an ellipsis (...) was already found");
        throw Error(detail::str("einsum(): found '.' for ", what, " for which an ellipsis was already found"));
      }
      EMBER_CHECK(i + 2 < end && eq[i + 1] == '.' && eq[i + 2] == '.', "einsum(): found '.' for ", what,
                  " that is not part of any ellipsis");
      t.ellipsis_at = int(t.letters.size());
      i += 2;
      continue;
    }
    EMBER_CHECK(is_letter(c), "einsum(): invalid subscript given at index ", i,
                " in the equation string, subscripts must be in [a-zA-Z]");
    t.letters.push_back(letter_label(c));
  }
  return t;
}

}  // namespace

EinsumPlan parse_einsum(std::string_view eq, const std::vector<IntArrayRef>& shapes) {
  EMBER_CHECK(!shapes.empty(), "einsum(): must provide at least one operand");
  const size_t arrow = eq.find("->");
  const size_t lhs_end = arrow == std::string_view::npos ? eq.size() : arrow;
  std::vector<Term> terms;
  size_t start = 0;
  for (size_t i = 0; i <= lhs_end; ++i) {
    if (i < lhs_end && eq[i] != ',') continue;
    terms.push_back(parse_term(eq, start, i, detail::str("operand ", terms.size()), false));
    start = i + 1;
  }
  EMBER_CHECK(terms.size() >= shapes.size(), "einsum(): more operands were provided than specified in the equation");
  EMBER_CHECK(terms.size() <= shapes.size(), "einsum(): fewer operands were provided than specified in the equation");

  // How many dims the ellipsis covers: the most any operand gives it (they broadcast, right-aligned).
  int64_t ell_dims = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t nd = int64_t(shapes[i].size()), nl = int64_t(terms[i].letters.size());
    if (terms[i].ellipsis_at < 0) {
      EMBER_CHECK(nl == nd, "einsum(): the number of subscripts in the equation (", nl,
                  ") does not match the number of dimensions (", nd, ") for operand ", i, " and no ellipsis was given");
    } else {
      EMBER_CHECK(nl <= nd, "einsum(): the number of subscripts in the equation (", nl,
                  ") is more than the number of dimensions (", nd, ") for operand ", i);
      ell_dims = std::max(ell_dims, nd - nl);
    }
  }

  EinsumPlan plan;
  plan.label_size.assign(size_t(kLetters + ell_dims), -1);
  std::vector<int> count(size_t(kLetters), 0);  // occurrences in the inputs, repeats included
  bool any_ellipsis = false;
  for (size_t i = 0; i < terms.size(); ++i) {
    const Term& t = terms[i];
    const int64_t nd = int64_t(shapes[i].size());
    const int64_t covered = t.ellipsis_at < 0 ? 0 : nd - int64_t(t.letters.size());
    any_ellipsis = any_ellipsis || t.ellipsis_at >= 0;
    std::vector<int> labels;
    for (int j = 0; j < int(t.letters.size()); ++j) {
      if (j == t.ellipsis_at)
        for (int64_t e = 0; e < covered; ++e) labels.push_back(int(kLetters + ell_dims - covered + e));
      labels.push_back(t.letters[size_t(j)]);
    }
    if (t.ellipsis_at == int(t.letters.size()))
      for (int64_t e = 0; e < covered; ++e) labels.push_back(int(kLetters + ell_dims - covered + e));
    std::vector<int64_t> seen_here(plan.label_size.size(), -1);
    for (size_t d = 0; d < labels.size(); ++d) {
      const int l = labels[d];
      const int64_t s = shapes[i][d];
      if (l < kLetters) ++count[size_t(l)];
      if (seen_here[size_t(l)] >= 0) {
        EMBER_CHECK(seen_here[size_t(l)] == s, "einsum(): subscript ", label_letter(l),
                    " is repeated for operand ", i, " but the sizes don't match, ", s, " != ", seen_here[size_t(l)]);
        continue;
      }
      seen_here[size_t(l)] = s;
      int64_t& global = plan.label_size[size_t(l)];
      if (global == -1 || global == 1) global = s;
      if (global == s || s == 1) continue;
      if (l < kLetters)
        throw Error(detail::str("einsum(): subscript ", label_letter(l), " has size ", s, " for operand ", i,
                                " which does not broadcast with previously seen size ", global));
      throw Error(detail::str("einsum(): dimension ", l - kLetters, " covered by ellipsis in operand ", i, "has size ", s,
                              " which does not broadcast with previously seen ellipsis with size ", global,
                              " for the respective dimension"));
    }
    plan.operand_labels.push_back(std::move(labels));
  }
  for (int64_t& s : plan.label_size) s = std::max<int64_t>(s, 0);

  if (arrow == std::string_view::npos) {
    if (any_ellipsis)
      for (int64_t e = 0; e < ell_dims; ++e) plan.output_labels.push_back(int(kLetters + e));
    for (int l = 0; l < kLetters; ++l)
      if (count[size_t(l)] == 1) plan.output_labels.push_back(l);
    return plan;
  }
  Term out = parse_term(eq, arrow + 2, eq.size(), "output", true);
  std::vector<bool> in_output(size_t(kLetters), false);
  for (size_t j = 0; j <= out.letters.size(); ++j) {
    if (int(j) == out.ellipsis_at)
      for (int64_t e = 0; e < ell_dims; ++e) plan.output_labels.push_back(int(kLetters + e));
    if (j == out.letters.size()) break;
    const int l = out.letters[j];
    EMBER_CHECK(!in_output[size_t(l)], "einsum(): output subscript ", label_letter(l),
                " appears more than once in the output");
    EMBER_CHECK(count[size_t(l)] > 0, "einsum(): output subscript ", label_letter(l),
                " does not appear in the equation for any input operand");
    in_output[size_t(l)] = true;
    plan.output_labels.push_back(l);
  }
  return plan;
}

}  // namespace ember::ops
