// The register and dataflow part shared by every bitsys PE (rtl/README.md, "Port contract").
// Included inside a PE module after it defines
//   localparam integer PW   (width of one beat's signed product)
//   function automatic signed [PW-1:0] product(input [63:0] a, w, s, input [15:0] c)
// so the three kinds differ only in what one beat adds.

  reg [143:0] v_q;  // OS: the weight beat passing down; WS: the stationary beat; IS: the stationary activation
  assign v_out = v_q;  // (overlapped WS/IS: a link of the column's preload chain)

  wire os = df == 2'd0;
  wire is = df[1];
`ifdef BITSYS_OVERLAP
  // Overlapped folds. WS/IS: the fold in the array uses `active`; the next fold's operand waits in
  // `shadow` (filled from the chain when the chain is full) and replaces it as that fold's first
  // element passes (mark_in), so the old fold's last elements still meet their own operand. OS: a
  // fold's last beat ends the sum in the output register `out_q` and restarts the accumulator, and
  // the output registers shift down and out while the next fold computes. (`out_q` is a register
  // of its own: kept in the shadow's low bits, it would make every chain link and skew stage keep
  // bits no product reads.)
  reg [143:0] active, shadow;
  reg signed [ACC_W-1:0] out_q;
  wire [143:0] stationary = !overlap ? v_q : mark_in ? shadow : active;
  wire ends_sum = overlap & mark_in;  // OS: this beat is the fold's last
  wire chains = overlap & chain;
  assign out_out = out_q;
`else
  wire [143:0] stationary = v_q;
`endif
  // The operands of this cycle's product. OS: both arrive now; WS: the beat is held; IS: the
  // activation is held and the beat arrives from the left.
  wire [143:0] a_word = is ? stationary : h_in;
  wire [143:0] w_beat = os ? v_in : is ? h_in : stationary;
  wire signed [PW-1:0] p = product(a_word[63:0], w_beat[63:0], w_beat[127:64], w_beat[143:128]);
  wire signed [ACC_W-1:0] p_ext = {{(ACC_W - PW){p[PW-1]}}, p};
`ifdef BITSYS_OVERLAP
  wire signed [ACC_W-1:0] os_sum = (clear ? {ACC_W{1'b0}} : acc) + p_ext;  // one adder: the accumulator or out_q
`endif

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_a_upper = ^a_word[143:64];  // an activation word's upper 80 bits are zero by contract
  /* verilator lint_on UNUSEDSIGNAL */

  always @(posedge clk) begin
    if (rst) begin
      h_out <= 144'd0;
      v_q   <= 144'd0;
      acc   <= {ACC_W{1'b0}};
    end else if (en) begin
      if (os) begin
        h_out <= h_in;
        v_q   <= v_in;
        if (drain)         acc <= psum_in;       // accumulators shift down to leave the array
`ifdef BITSYS_OVERLAP
        else if (ends_sum) acc <= {ACC_W{1'b0}}; // the sum went to the output register
        else               acc <= os_sum;
`else
        else               acc <= (clear ? {ACC_W{1'b0}} : acc) + p_ext;
`endif
      end else if (load) begin
        v_q   <= v_in;                          // stationary operands shift down into place
      end else begin
        h_out <= h_in;
        acc   <= psum_in + p_ext;               // the partial sum flows down
`ifdef BITSYS_OVERLAP
        if (chains) v_q <= v_in;                // the next fold's operands shift down the chain
`endif
      end
    end
  end
`ifdef BITSYS_OVERLAP
  always @(posedge clk) begin
    if (rst)     mark_out <= 1'b0;
    else if (en) mark_out <= mark_in;
  end
  // Datapath registers, not reset: no product is read before a fold has written what it uses.
  always @(posedge clk) begin
    if (!rst && en) begin
      if (os) begin
        // A column's output registers shift only after its last capture and before the next.
        if (ends_sum)              out_q <= os_sum;
        else if (overlap & odrain) out_q <= out_in;
      end else begin
        if (chains & commit)  shadow <= v_in;  // the chain after this shift
        if (overlap & mark_in) active <= shadow;
      end
    end
  end
`endif
