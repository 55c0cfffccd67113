// bitserial PE: one weight bit plane against LANES activation bytes a cycle. The lanes whose
// weight bit w[l] is set are summed (negated where the sign bit s[l] is set) in an adder tree;
// the sum is shifted by the plane (c[2:0], planes 0..7) and negated for a two's-complement sign
// plane (c[4]). Activation bytes are two's complement when c[7] is set, unsigned otherwise.
// No multiplier. Which planes exist (a CSQ mask) is the order of beats, not the PE's concern.
module bitsys_pe_bitserial #(
  parameter integer LANES = 8,   // 1..8
  parameter integer ACC_W = 32   // rtl/README.md, "Widths"
) (
`include "pe_ports.vh"
);
  // A lane is 9 bits signed (-128..255), 10 after a negate; eight of them sum in 13 bits; a
  // shift of up to 7 makes 20; the negate 21.
  localparam integer PW = 21;

  /* verilator lint_off UNUSEDSIGNAL */
  function automatic signed [PW-1:0] product(input [63:0] a, input [63:0] w, input [63:0] s, input [15:0] c);
    integer l;
    reg signed [12:0] x, sum;
    reg signed [PW-1:0] shifted;
    begin
      sum = 13'sd0;
      for (l = 0; l < LANES; l = l + 1) begin
        x = {{4{c[7] & a[8*l+7]}}, c[7] & a[8*l+7], a[8*l +: 8]};
        if (w[l]) sum = sum + (s[l] ? -x : x);
      end
      shifted = {{(PW - 13){sum[12]}}, sum} <<< c[2:0];
      product = c[4] ? -shifted : shifted;
    end
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
`include "pe_shell.vh"
endmodule
