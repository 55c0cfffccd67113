#include "sim/lowering/lower.h"

#include <map>

#include "sim/io/input_error.h"

namespace bitsys {

const char* placement_name(OpPlacement p) {
  switch (p) {
    case OpPlacement::Array:
      return "array";
    case OpPlacement::Fused:
      return "fused";
    case OpPlacement::Vector:
      return "vector";
    case OpPlacement::Free:
      return "free";
  }
  return "?";
}

namespace {

struct Tensor {
  Shape shape;
  ActPrecision precision;
  int producer = -1;  ///< op index, -1 for a network input
  int consumers = 0;
};

class Lowering {
 public:
  Lowering(const Network& net, const OutputStageConfig& stage, Conventions conventions)
      : net_(net), stage_(stage), conventions_(conventions) {}

  LoweredNetwork run() {
    LoweredNetwork out;
    out.name = net_.name;
    out.source = net_.source;
    out.file = net_.file;
    out.batch = net_.batch;
    out.stage = stage_;
    out.conventions = conventions_;
    for (const auto& in : net_.inputs) {
      if (tensors_.count(in.name)) fail_input(net_.file, "input '" + in.name + "'", "name", "defined twice");
      tensors_[in.name] = Tensor{in.shape, in.precision, -1, 0};
    }
    std::string previous = net_.inputs.front().name;
    for (const auto& layer : net_.layers) {
      where_ = "layer '" + layer.name + "'";
      if (tensors_.count(layer.name)) fail("name", "tensor name '" + layer.name + "' defined twice");
      std::vector<std::string> inputs = layer.inputs.empty() ? std::vector<std::string>{previous} : layer.inputs;
      const auto& info = layer_type_info(layer.type);
      const int n_in = static_cast<int>(inputs.size());
      if (n_in < info.min_inputs || (info.max_inputs >= 0 && n_in > info.max_inputs))
        fail("inputs", std::string(info.name) + " takes " + std::to_string(info.min_inputs) +
                           (info.max_inputs < 0                  ? " or more"
                            : info.max_inputs == info.min_inputs ? ""
                                                                 : ".." + std::to_string(info.max_inputs)) +
                           " input(s), got " + std::to_string(n_in));
      LoweredOp op;
      op.name = layer.name;
      op.type = layer.type;
      op.out = layer.output;
      for (const auto& name : inputs) {
        auto it = tensors_.find(name);
        if (it == tensors_.end())
          fail("inputs", "unknown tensor '" + name + "' (inputs must name network inputs or earlier layers)");
        it->second.consumers++;
        op.inputs.push_back(name);
        op.in_shapes.push_back(it->second.shape);
        op.in_precisions.push_back(it->second.precision);
      }
      op.act = tensors_.at(inputs.front()).precision;
      shape_op(layer, op);
      if (op.placement == OpPlacement::Array) check_accumulator(op);
      op.elements =
          mul(static_cast<uint64_t>(net_.batch), static_cast<uint64_t>(op.out_shape.elements()), "output size");
      op.vector_work = vector_work(layer, op);
      op.emits = op.name;
      op.emit_precision = op.out;
      tensors_[layer.name] = Tensor{op.out_shape, op.out, static_cast<int>(out.ops.size()), 0};
      inputs_of_.push_back(inputs);
      out.ops.push_back(op);
      previous = layer.name;
    }
    fuse(out);
    for (const auto& op : out.ops) out.total_macs = add(out.total_macs, op.macs);
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    fail_input(net_.file, where_, field, what);
  }

  // The PEs accumulate in kAccumulatorBits: K products at their largest must fit (rtl/README.md).
  void check_accumulator(const LoweredOp& op) const {
    const int64_t limit = (int64_t{1} << (kAccumulatorBits - 1)) - 1, largest = largest_product(op.act, op.weights);
    if (op.gemm.K > limit / largest)
      fail("", "a dot product of K = " + std::to_string(op.gemm.K) + " terms of up to " + std::to_string(largest) +
                   " (" + op.act.str() + " x " + op.weights.str() + ") may not fit the " +
                   std::to_string(kAccumulatorBits) + "-bit accumulator; K may be at most " +
                   std::to_string(limit / largest));
  }

  uint64_t mul(uint64_t a, uint64_t b, const char* what) const {
    uint64_t r;
    if (__builtin_mul_overflow(a, b, &r)) fail("", std::string(what) + " overflows 64 bits");
    return r;
  }
  uint64_t add(uint64_t a, uint64_t b) const {
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r)) fail_input(net_.file, "", "", "total MAC count overflows 64 bits");
    return r;
  }

  /// Output size of a sliding window; the kernel must fit the padded input.
  int64_t window_out(int64_t in, int64_t k, int64_t s, int64_t p, const char* axis) const {
    const int64_t padded = in + 2 * p;
    if (k > padded)
      fail("kernel", "kernel " + std::string(axis) + " " + std::to_string(k) + " is larger than the padded input (" +
                         std::to_string(in) + " + 2*" + std::to_string(p) + ")");
    // SCALE-Sim v2 counts a last window that starts inside the input but runs past its end.
    if (conventions_ == Conventions::ScaleSim) return (padded - k + s - 1) / s + 1;
    return (padded - k) / s + 1;
  }

  void shape_op(const Layer& l, LoweredOp& op) {
    const Shape in = op.in_shapes.front();
    switch (l.type) {
      case LayerType::Conv2d: {
        if (in.c % l.groups)
          fail("groups",
               "input channels " + std::to_string(in.c) + " not divisible by groups " + std::to_string(l.groups));
        if (l.out_channels % l.groups)
          fail("groups", "out_channels " + std::to_string(l.out_channels) + " not divisible by groups " +
                             std::to_string(l.groups));
        op.out_shape = {l.out_channels, window_out(in.h, l.kernel_h, l.stride, l.padding, "height"),
                        window_out(in.w, l.kernel_w, l.stride, l.padding, "width")};
        op.placement = OpPlacement::Array;
        op.weights = l.weights;
        op.kernel_h = l.kernel_h;
        op.kernel_w = l.kernel_w;
        op.stride = l.stride;
        op.padding = l.padding;
        op.gemm.groups = l.groups;
        op.gemm.M = static_cast<int64_t>(mul(mul(net_.batch, op.out_shape.h, "GEMM M"), op.out_shape.w, "GEMM M"));
        op.gemm.K = static_cast<int64_t>(mul(mul(in.c / l.groups, l.kernel_h, "GEMM K"), l.kernel_w, "GEMM K"));
        op.gemm.N = l.out_channels / l.groups;
        break;
      }
      case LayerType::FullyConnected:
        op.out_shape = {l.out_features, 1, 1};
        op.placement = OpPlacement::Array;
        op.weights = l.weights;
        op.gemm = {net_.batch, static_cast<int64_t>(mul(mul(in.c, in.h, "GEMM K"), in.w, "GEMM K")), l.out_features, 1};
        break;
      case LayerType::MaxPool:
      case LayerType::AvgPool:
        op.placement = OpPlacement::Vector;
        op.global = l.global;
        op.kernel_h = l.global ? in.h : l.kernel_h;
        op.kernel_w = l.global ? in.w : l.kernel_w;
        op.stride = l.global ? 1 : l.stride;
        op.padding = l.global ? 0 : l.padding;
        op.out_shape = l.global ? Shape{in.c, 1, 1}
                                : Shape{in.c, window_out(in.h, l.kernel_h, l.stride, l.padding, "height"),
                                        window_out(in.w, l.kernel_w, l.stride, l.padding, "width")};
        break;
      case LayerType::Upsample:
        op.placement = l.upsample == UpsampleMode::PixelShuffle ? OpPlacement::Free : OpPlacement::Vector;
        op.scale = l.scale;
        op.upsample = l.upsample;
        if (l.upsample == UpsampleMode::PixelShuffle) {
          if (in.c % (l.scale * l.scale)) fail("scale", "pixel shuffle needs channels divisible by scale^2");
          op.out_shape = {in.c / (l.scale * l.scale), in.h * l.scale, in.w * l.scale};
        } else {
          op.out_shape = {in.c, static_cast<int64_t>(mul(in.h, l.scale, "upsample")),
                          static_cast<int64_t>(mul(in.w, l.scale, "upsample"))};
        }
        break;
      case LayerType::Concat: {
        op.placement = OpPlacement::Free;
        op.out_shape = in;
        op.out_shape.c = 0;
        for (const auto& s : op.in_shapes) {
          if (s.h != in.h || s.w != in.w) fail("inputs", "concat inputs differ in height/width");
          op.out_shape.c += s.c;
        }
        break;
      }
      default:  // elementwise
        op.placement = OpPlacement::Vector;
        for (const auto& s : op.in_shapes)
          if (s.c != in.c || s.h != in.h || s.w != in.w)
            fail("inputs", "elementwise inputs differ in shape (" + str(s) + " vs " + str(in) + ")");
        op.out_shape = in;
        break;
    }
    if (op.placement == OpPlacement::Array) {
      const GemmShape& g = op.gemm;
      op.macs = mul(mul(mul(g.M, g.K, "MAC count"), g.N, "MAC count"), g.groups, "MAC count");
    }
  }

  /// Element operations of a vector-unit op: one per output element, a pool one per window
  /// element, an n-input add n-1 per output element.
  uint64_t vector_work(const Layer& l, const LoweredOp& op) const {
    switch (l.type) {
      case LayerType::MaxPool:
      case LayerType::AvgPool: {
        if (l.global)
          return mul(static_cast<uint64_t>(net_.batch), static_cast<uint64_t>(op.in_shapes.front().elements()),
                     "pool work");
        return mul(op.elements, mul(static_cast<uint64_t>(l.kernel_h), static_cast<uint64_t>(l.kernel_w), "pool work"),
                   "pool work");
      }
      case LayerType::Add:
        return mul(op.elements, op.in_shapes.size() - 1, "add work");
      case LayerType::Upsample:
        return l.upsample == UpsampleMode::Bilinear ? mul(op.elements, 4, "upsample work") : op.elements;
      default:
        return op.elements;
    }
  }

  static std::string str(const Shape& s) {
    return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
  }

  /// The GEMM whose output chain ends in `tensor` (its own output, or through ops already
  /// joined to it) when nothing else reads that tensor; else null.
  LoweredOp* chain_gemm(LoweredNetwork& out, const std::string& tensor) {
    const Tensor& src = tensors_.at(tensor);
    if (src.producer < 0 || src.consumers != 1) return nullptr;
    const LoweredOp& prod = out.ops[static_cast<size_t>(src.producer)];
    const std::string name = prod.placement == OpPlacement::Array   ? prod.name
                             : prod.placement == OpPlacement::Fused ? prod.fused_into
                                                                    : std::string();
    for (auto& g : out.ops)
      if (!name.empty() && g.name == name) return &g;
    return nullptr;
  }

  /// A post-op joins the GEMM before it when its input comes from that GEMM (directly or through
  /// ops already joined) and nothing else reads that tensor: each result is transformed once on
  /// its way out, so a second reader would need the untransformed values. A one-input op joins
  /// the output stage when the stage applies its type and no op before it went to the vector
  /// unit; else, with the vector unit beside the array, it runs there on each fold's results,
  /// as does a two-input add (its other operand streamed in for each fold); else it stays a
  /// separate vector-unit pass.
  void fuse(LoweredNetwork& out) {
    for (auto& op : out.ops)
      if (op.placement == OpPlacement::Array) op.output_latency = stage_.gemm_latency;
    for (size_t i = 0; i < out.ops.size(); ++i) {
      LoweredOp& op = out.ops[i];
      const std::vector<std::string>& in = inputs_of_[i];
      LoweredOp* gemm = nullptr;
      std::string operand;  // an add's other input
      if (layer_type_info(op.type).stage_op && in.size() == 1) {
        gemm = chain_gemm(out, in.front());
      } else if (op.type == LayerType::Add && in.size() == 2 && stage_.beside && in[0] != in[1]) {
        for (size_t k = 0; k < 2 && !gemm; ++k) {
          // The other operand is streamed in while the GEMM runs: it must exist by then.
          gemm = chain_gemm(out, in[k]);
          if (gemm && tensors_.at(in[1 - k]).producer >= static_cast<int>(gemm - out.ops.data())) gemm = nullptr;
          if (gemm) operand = in[1 - k];
        }
      }
      if (!gemm) continue;
      const bool in_stage = operand.empty() && stage_.fuses(op.type) && gemm->beside_ops == 0;
      if (!in_stage && !stage_.beside) continue;
      op.placement = OpPlacement::Fused;
      op.fused_into = gemm->name;
      op.beside = !in_stage;
      gemm->post_ops.push_back(op.name);
      if (!operand.empty()) gemm->beside_operands.push_back(operand);
      if (in_stage) {
        gemm->output_latency += stage_.latency[static_cast<size_t>(op.type)];
      } else if (gemm->beside_ops++ == 0) {
        gemm->staged = gemm->emits;
        gemm->staged_precision = gemm->emit_precision;
      }
      gemm->emits = op.name;
      gemm->emit_precision = op.out;
    }
  }

  const Network& net_;
  const OutputStageConfig stage_;
  const Conventions conventions_;
  std::string where_;
  std::map<std::string, Tensor> tensors_;
  std::vector<std::vector<std::string>> inputs_of_;
};

}  // namespace

LoweredNetwork lower(const Network& net, const OutputStageConfig& stage, Conventions conventions) {
  return Lowering(net, stage, conventions).run();
}

bool lowered_for(const LoweredNetwork& net, const ArchConfig& arch) {
  return net.stage == arch.output_stage && net.conventions == arch.conventions;
}

LoweredNetwork lower_for(const Network& net, const ArchConfig& arch) {
  return lower(net, arch.output_stage, arch.conventions);
}

}  // namespace bitsys
