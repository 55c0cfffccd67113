#!/bin/sh
# NAND2-equivalents of the reference circuits configs/tech/45nm.json calibrates on and validates
# against (Horowitz's 8- and 32-bit adders and multipliers), synthesized with the flow of
# `bitsys synth` (rtl/cosim/synthesis.cpp: abc -g cmos2, NAND2-eq = CMOS transistors / 4).
# usage: sh scripts/tech-reference-gates.sh   (prints "circuit transistors nand2_eq")
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/ref.v" <<'V'
module add8(input [7:0] a, b, output [7:0] y); assign y = a + b; endmodule
module mul8(input [7:0] a, b, output [15:0] y); assign y = a * b; endmodule
module add32(input [31:0] a, b, output [31:0] y); assign y = a + b; endmodule
module mul32(input [31:0] a, b, output [63:0] y); assign y = a * b; endmodule
V
for top in add8 mul8 add32 mul32; do
  yosys -q -p "read_verilog $d/ref.v; hierarchy -top $top; proc; flatten; opt; wreduce; synth -top $top -flatten -run coarse:; abc -g cmos2; opt_clean; tee -q -o $d/$top.json stat -json -tech cmos" >/dev/null
  /usr/bin/python3 -c "import json,sys; t=int(json.load(open(sys.argv[1]))['design']['estimated_num_transistors']); print(sys.argv[2], t, t / 4)" "$d/$top.json" "$top"
done
