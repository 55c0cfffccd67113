// The register and dataflow part shared by every bitsys PE (rtl/README.md, "Port contract").
// Included inside a PE module after it defines
//   function automatic signed [63:0] product(a, wb, wx, wm, wc)
// so the three kinds differ only in what one beat adds.

  reg  [63:0] wb_q, wx_q;
  reg  [31:0] wm_q;
  reg  [15:0] wc_q;

  assign wb_out = wb_q;
  assign wx_out = wx_q;
  assign wm_out = wm_q;
  assign wc_out = wc_q;

  // Output stationary: the beat arriving this cycle; weight stationary: the one held.
  wire [63:0] wb_use = os ? wb_in : wb_q;
  wire [63:0] wx_use = os ? wx_in : wx_q;
  wire [31:0] wm_use = os ? wm_in : wm_q;
  wire [15:0] wc_use = os ? wc_in : wc_q;
  wire signed [63:0] p = product(a_in, wb_use, wx_use, wm_use, wc_use);

  always @(posedge clk) begin
    if (rst) begin
      a_out <= 64'd0;
      wb_q  <= 64'd0;
      wx_q  <= 64'd0;
      wm_q  <= 32'd0;
      wc_q  <= 16'd0;
      acc   <= 64'sd0;
    end else if (en) begin
      if (os) begin
        a_out <= a_in;
        wb_q  <= wb_in;
        wx_q  <= wx_in;
        wm_q  <= wm_in;
        wc_q  <= wc_in;
        if (drain) acc <= psum_in;               // accumulators shift down to leave the array
        else       acc <= (clear ? 64'sd0 : acc) + p;
      end else if (load) begin
        wb_q  <= wb_in;                         // stationary beats shift down into place
        wx_q  <= wx_in;
        wm_q  <= wm_in;
        wc_q  <= wc_in;
      end else begin
        a_out <= a_in;
        acc   <= psum_in + p;                   // the partial sum flows down
      end
    end
  end
