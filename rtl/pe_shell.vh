// The register and dataflow part shared by every bitsys PE (rtl/README.md, "Port contract").
// Included inside a PE module after it defines
//   localparam integer PW   (width of one beat's signed product)
//   function automatic signed [PW-1:0] product(input [63:0] a, w, s, input [15:0] c)
// so the three kinds differ only in what one beat adds.

  reg [143:0] v_q;  // OS: the weight beat passing down; WS: the stationary beat; IS: the stationary activation
  assign v_out = v_q;

  wire os = df == 2'd0;
  wire is = df[1];
  // The operands of this cycle's product. OS: both arrive now; WS: the beat is held; IS: the
  // activation is held and the beat arrives from the left.
  wire [143:0] a_word = is ? v_q : h_in;
  wire [143:0] w_beat = os ? v_in : is ? h_in : v_q;
  wire signed [PW-1:0] p = product(a_word[63:0], w_beat[63:0], w_beat[127:64], w_beat[143:128]);
  wire signed [ACC_W-1:0] p_ext = {{(ACC_W - PW){p[PW-1]}}, p};

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
        if (drain) acc <= psum_in;               // accumulators shift down to leave the array
        else       acc <= (clear ? {ACC_W{1'b0}} : acc) + p_ext;
      end else if (load) begin
        v_q   <= v_in;                          // stationary operands shift down into place
      end else begin
        h_out <= h_in;
        acc   <= psum_in + p_ext;               // the partial sum flows down
      end
    end
  end
