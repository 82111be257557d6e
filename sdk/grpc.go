package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/goshterm/gosh/sdk/internal/pluginpb"
)

// The go-plugin adapters, one per kind, in go-plugin's examples/grpc style:
// GRPCServer registers Impl on the plugin side; GRPCClient returns the host
// side, which implements the same sdk interface over the connection. Hosts
// type-assert the dispensed value to the kind's interface.

// InfoPlugin serves Desc; every plugin has one.
type InfoPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Desc Description
}

// GRPCServer implements plugin.GRPCPlugin.
func (p *InfoPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterInfoServer(s, &infoServer{desc: p.Desc})
	return nil
}

// GRPCClient implements plugin.GRPCPlugin; it returns a Describer.
func (p *InfoPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &infoClient{c: pluginpb.NewInfoClient(c)}, nil
}

type infoServer struct {
	pluginpb.UnimplementedInfoServer
	desc Description
}

func (s *infoServer) Describe(context.Context, *pluginpb.DescribeRequest) (*pluginpb.DescribeResponse, error) {
	return describeToProto(s.desc), nil
}

type infoClient struct{ c pluginpb.InfoClient }

func (c *infoClient) Describe(ctx context.Context) (Description, error) {
	r, err := c.c.Describe(ctx, &pluginpb.DescribeRequest{})
	if err != nil {
		return Description{}, err
	}
	return describeFromProto(r), nil
}

// PredictorPlugin adapts a Predictor.
type PredictorPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Predictor
}

// GRPCServer implements plugin.GRPCPlugin.
func (p *PredictorPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterPredictorServer(s, &predictorServer{impl: p.Impl})
	return nil
}

// GRPCClient implements plugin.GRPCPlugin; it returns a Predictor.
func (p *PredictorPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &predictorClient{c: pluginpb.NewPredictorClient(c)}, nil
}

type predictorServer struct {
	pluginpb.UnimplementedPredictorServer
	impl Predictor
}

func (s *predictorServer) Predict(ctx context.Context, r *pluginpb.PredictRequest) (*pluginpb.PredictResponse, error) {
	p, err := s.impl.Predict(ctx, predictRequestFromProto(r))
	if err != nil {
		return nil, err
	}
	return predictionToProto(p), nil
}

type predictorClient struct{ c pluginpb.PredictorClient }

func (c *predictorClient) Predict(ctx context.Context, req PredictRequest) (Prediction, error) {
	r, err := c.c.Predict(ctx, predictRequestToProto(req))
	if err != nil {
		return Prediction{}, err
	}
	return predictionFromProto(r), nil
}

// StatusPlugin adapts a Status.
type StatusPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Status
}

// GRPCServer implements plugin.GRPCPlugin.
func (p *StatusPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterStatusServer(s, &statusServer{impl: p.Impl})
	return nil
}

// GRPCClient implements plugin.GRPCPlugin; it returns a Status.
func (p *StatusPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &statusClient{c: pluginpb.NewStatusClient(c)}, nil
}

type statusServer struct {
	pluginpb.UnimplementedStatusServer
	impl Status
}

func (s *statusServer) Configure(ctx context.Context, _ *pluginpb.ConfigureRequest) (*pluginpb.ConfigureResponse, error) {
	c, err := s.impl.Configure(ctx)
	if err != nil {
		return nil, err
	}
	return statusConfigToProto(c), nil
}

func (s *statusServer) Segments(ctx context.Context, r *pluginpb.StatusRequest) (*pluginpb.StatusResponse, error) {
	segs, err := s.impl.Segments(ctx, statusRequestFromProto(r))
	if err != nil {
		return nil, err
	}
	return segmentsToProto(segs), nil
}

type statusClient struct{ c pluginpb.StatusClient }

func (c *statusClient) Configure(ctx context.Context) (StatusConfig, error) {
	r, err := c.c.Configure(ctx, &pluginpb.ConfigureRequest{})
	if err != nil {
		return StatusConfig{}, err
	}
	return statusConfigFromProto(r), nil
}

func (c *statusClient) Segments(ctx context.Context, req StatusRequest) ([]Segment, error) {
	r, err := c.c.Segments(ctx, statusRequestToProto(req))
	if err != nil {
		return nil, err
	}
	return segmentsFromProto(r), nil
}

// AuthorizerPlugin adapts an Authorizer.
type AuthorizerPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Authorizer
}

// GRPCServer implements plugin.GRPCPlugin.
func (p *AuthorizerPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterAuthorizerServer(s, &authorizerServer{impl: p.Impl})
	return nil
}

// GRPCClient implements plugin.GRPCPlugin; it returns an Authorizer.
func (p *AuthorizerPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &authorizerClient{c: pluginpb.NewAuthorizerClient(c)}, nil
}

type authorizerServer struct {
	pluginpb.UnimplementedAuthorizerServer
	impl Authorizer
}

func (s *authorizerServer) Authorize(ctx context.Context, r *pluginpb.AuthRequest) (*pluginpb.AuthDecision, error) {
	d, err := s.impl.Authorize(ctx, authRequestFromProto(r))
	if err != nil {
		return nil, err
	}
	return authDecisionToProto(d), nil
}

func (s *authorizerServer) Answer(ctx context.Context, r *pluginpb.ChallengeAnswer) (*pluginpb.AuthDecision, error) {
	d, err := s.impl.Answer(ctx, challengeAnswerFromProto(r))
	if err != nil {
		return nil, err
	}
	return authDecisionToProto(d), nil
}

type authorizerClient struct{ c pluginpb.AuthorizerClient }

func (c *authorizerClient) Authorize(ctx context.Context, req AuthRequest) (AuthDecision, error) {
	r, err := c.c.Authorize(ctx, authRequestToProto(req))
	if err != nil {
		return AuthDecision{}, err
	}
	return authDecisionFromProto(r), nil
}

func (c *authorizerClient) Answer(ctx context.Context, ans ChallengeAnswer) (AuthDecision, error) {
	r, err := c.c.Answer(ctx, challengeAnswerToProto(ans))
	if err != nil {
		return AuthDecision{}, err
	}
	return authDecisionFromProto(r), nil
}

// Compile-time checks that each host-side client implements its interface.
var (
	_ Describer         = (*infoClient)(nil)
	_ Predictor         = (*predictorClient)(nil)
	_ Status            = (*statusClient)(nil)
	_ Authorizer        = (*authorizerClient)(nil)
	_ plugin.GRPCPlugin = (*InfoPlugin)(nil)
	_ plugin.GRPCPlugin = (*PredictorPlugin)(nil)
	_ plugin.GRPCPlugin = (*StatusPlugin)(nil)
	_ plugin.GRPCPlugin = (*AuthorizerPlugin)(nil)
)
