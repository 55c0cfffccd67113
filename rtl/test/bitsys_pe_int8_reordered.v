// The int8 PE with its lanes summed in the other order: a different circuit computing the same
// function, which `verify-pe --formal` must prove equal (tests only).
module bitsys_pe_int8_reordered #(
  parameter integer LANES = 1,   // 1..4
  parameter integer ACC_W = 32   // rtl/README.md, "Widths"
) (
`include "pe_ports.vh"
);
  // 9 x 9 signed: |x y| <= 255 * 255 < 2^16, 18 bits; four lanes sum in 20.
  localparam integer PW = 20;

  /* verilator lint_off UNUSEDSIGNAL */
  function automatic signed [PW-1:0] product(input [63:0] a, input [63:0] w, input [63:0] s, input [15:0] c);
    integer l;
    reg signed [8:0] x, y;
    reg signed [17:0] m;
    begin
      product = {PW{1'b0}};
      for (l = LANES - 1; l >= 0; l = l - 1) begin  // lanes summed last to first
        x = {c[7] & a[8*l+7], a[8*l +: 8]};
        y = c[8] ? (s[l] ? -{1'b0, w[8*l +: 8]} : {1'b0, w[8*l +: 8]}) : {w[8*l+7], w[8*l +: 8]};
        m = x * y;
        product = product + {{(PW - 18){m[17]}}, m};
      end
    end
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
`include "pe_shell.vh"
endmodule
